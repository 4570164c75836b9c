using Microsoft.ML;
using MlWorkflow.Data;
using MlWorkflow.Execution;
using MlWorkflow.Features;
using MlWorkflow.Planning;
using MlWorkflow.Splitting;
using MlWorkflow.Training;

namespace MlWorkflow;

/// <summary>
/// The fluent workflow: load → features → label → split or cross-validate → train → evaluate → run.
/// <code>
/// var result = await Workflow.Create(seed: 42)
///     .Load(DataSource.Csv("sales.csv"))
///     .Features(f =&gt; f.Log1p("sales", "log_sales").OneHot("city").ReplaceMissing("inventory"))
///     .Label("log_sales")
///     .Split(testFraction: 0.2)
///     .Train(Trainers.Regression.FastForest(trees: 100))
///     .Evaluate(plots: true)
///     .RunAsync(cancellationToken);
/// </code>
/// Each call returns a new workflow (the original is unchanged), so one base can feed several trainers, and runs
/// share no state: each run has its own ML.NET context (unless one was given to <see cref="Create"/>) and its own
/// observers. The run builds a plain ML.NET estimator chain; misuse is reported by <see cref="WorkflowValidationException"/>
/// before any training. The same seed gives the same metrics. Runs are traced and logged as <see cref="WorkflowDiagnostics"/> describes.
/// </summary>
public sealed class Workflow
{
    private readonly WorkflowDefinition _definition;

    private Workflow(WorkflowDefinition definition) => _definition = definition;

    internal static Workflow FromDefinition(WorkflowDefinition definition) => new(definition);

    /// <summary>What the workflow was told, for the code generator.</summary>
    internal WorkflowDefinition Definition => _definition;

    /// <summary>The seed of the ML.NET context, the split and the folds.</summary>
    public int Seed => _definition.Seed;

    /// <summary>The feature steps as configured (the automatic concatenation is added at run time).</summary>
    public IReadOnlyList<FeatureStep> FeatureSteps => _definition.Steps;

    /// <summary>The trainer, or null before <see cref="Train"/>.</summary>
    public TrainerSpec? Trainer => _definition.Trainer;

    /// <summary>The label column, or null before <see cref="Label"/>.</summary>
    public string? LabelColumn => _definition.Label;

    /// <summary>The number of observers (each run creates its own from their factories).</summary>
    public int ObserverCount => _definition.ObserverFactories.Count;

    /// <summary>Starts a workflow.</summary>
    /// <param name="seed">Seed of the ML.NET context, the split and the folds. The default value is 42.</param>
    /// <param name="mlContext">
    /// The ML.NET context every run uses. The default is a new context seeded with <paramref name="seed"/> per run, so
    /// concurrent runs share nothing. A given context is shared by all runs, and cancelling a run cancels it for good
    /// (ML.NET's <c>CancelExecution</c>).
    /// </param>
    /// <param name="timeProvider">The clock for timings. The default is the system clock.</param>
    /// <param name="options">Logging and temporary files. The default is <see cref="WorkflowOptions"/>' defaults (no logging, the temp folder).</param>
    /// <returns>An empty workflow.</returns>
    public static Workflow Create(int seed = 42, MLContext? mlContext = null, TimeProvider? timeProvider = null, WorkflowOptions? options = null) =>
        new(new WorkflowDefinition(seed, mlContext, timeProvider ?? TimeProvider.System, options ?? new WorkflowOptions()));

    /// <summary>Uses data already in memory or opened by hand.</summary>
    /// <param name="data">The data.</param>
    /// <returns>The workflow with its data.</returns>
    public Workflow Load(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new(_definition with { Data = data, Source = null });
    }

    /// <summary>Loads data from a source (CSV, Parquet, Arrow, Delta, objects) when the workflow runs.</summary>
    /// <param name="source">The source, for example <c>DataSource.Parquet("data/sales")</c>.</param>
    /// <returns>The workflow with its data.</returns>
    public Workflow Load(IDataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new(_definition with { Source = source, Data = null });
    }

    /// <summary>
    /// Adds feature steps, read top to bottom. <c>Drop</c> and <c>Select</c> only hide columns from the later steps:
    /// the fitted model does not read a dropped column, so it is not needed to predict.
    /// </summary>
    /// <param name="configure">For example <c>f =&gt; f.Log1p("sales", "log_sales").OneHot("city")</c>.</param>
    /// <returns>The workflow with the steps appended.</returns>
    public Workflow Features(Func<FeaturePipelineBuilder, FeaturePipelineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new FeaturePipelineBuilder();
        foreach (var step in _definition.Steps)
        {
            builder.Add(step);
        }

        return new(_definition with { Steps = configure(builder).Steps.ToArray() });
    }

    /// <summary>Names the label column (it may be written by a feature step, as <c>log_sales</c> is).</summary>
    /// <param name="column">The column.</param>
    /// <returns>The workflow with its label.</returns>
    public Workflow Label(string column)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        return new(_definition with { Label = column });
    }

    /// <summary>
    /// Holds out a random test set; metrics are computed on it. Only one of <see cref="Split"/>, <see cref="SplitBy(string)"/>,
    /// <see cref="TestOn(IDataSource)"/> and <see cref="CrossValidate"/> may choose the test rows (calling the same one again replaces it).
    /// </summary>
    /// <param name="testFraction">
    /// The fraction of rows held out, in (0, 1). The default value is 0.2. Without <paramref name="stratify"/> or
    /// <paramref name="groupBy"/> exactly this fraction of the rows, rounded up as scikit-learn's <c>train_test_split</c>
    /// rounds (69 of penguins' 344 rows at 0.2), is drawn at random for the workflow's seed; at least one row stays on each
    /// side. With <paramref name="stratify"/> the share is exact up to rounding within each class.
    /// </param>
    /// <param name="stratify">
    /// Whether each class keeps its share of rows on both sides (classification only; scikit-learn's <c>stratify=y</c>): each
    /// class's rows are shuffled and <paramref name="testFraction"/> of them, rounded, are held out. The default value is false
    /// (rows drawn at random regardless of class).
    /// </param>
    /// <param name="groupBy">
    /// A column whose rows stay together: the rows of one value (a city, a patient) are all on one side, never on both, and
    /// <paramref name="testFraction"/> of the groups (rounded up) are held out, as scikit-learn's <c>GroupShuffleSplit</c> does.
    /// The column stays a feature unless dropped. The default is null (rows are drawn one by one).
    /// </param>
    /// <returns>The workflow with its split.</returns>
    /// <exception cref="WorkflowValidationException">Another call already chooses the test rows, or both <paramref name="stratify"/> and <paramref name="groupBy"/> are given.</exception>
    public Workflow Split(double testFraction = 0.2, bool stratify = false, string? groupBy = null)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1 (exclusive).");
        }

        CheckSampling("Split", stratify, groupBy);
        return new(Cleared("Split") with { TestFraction = testFraction, Stratify = stratify, GroupColumn = groupBy });
    }

    /// <summary>
    /// Splits by a Boolean column: the rows where it is true are the test set, the others the training set (for example an
    /// <c>is_test</c> column written when the data was collected). The column is not a feature.
    /// </summary>
    /// <param name="column">The Boolean column; a run fails with a <see cref="WorkflowValidationException"/> if it is of another type.</param>
    /// <returns>The workflow with its split.</returns>
    /// <exception cref="WorkflowValidationException">Another call already chooses the test rows.</exception>
    public Workflow SplitBy(string column)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        return new(Cleared("SplitBy") with { SplitColumn = new ColumnSplit(column, null, null) });
    }

    /// <summary>
    /// Splits by a numeric column: the rows whose value is at least <paramref name="testFrom"/> are the test set, the earlier
    /// ones the training set (a time split, for example <c>SplitBy("year", testFrom: 2014)</c>). The column stays a feature
    /// unless dropped; a run fails if a row has no value in it.
    /// </summary>
    /// <param name="column">A numeric column of any type.</param>
    /// <param name="testFrom">The first value of the test set; finite.</param>
    /// <returns>The workflow with its split.</returns>
    /// <exception cref="WorkflowValidationException">Another call already chooses the test rows.</exception>
    public Workflow SplitBy(string column, double testFrom)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        if (!double.IsFinite(testFrom))
        {
            throw new ArgumentOutOfRangeException(nameof(testFrom), testFrom, "The threshold must be a finite number.");
        }

        return new(Cleared("SplitBy") with { SplitColumn = new ColumnSplit(column, testFrom, null) });
    }

    /// <summary>
    /// Splits by a DateTime column: the rows at or after <paramref name="testFrom"/> are the test set, the earlier ones the
    /// training set. The column stays in the data for the feature steps.
    /// </summary>
    /// <param name="column">A DateTime column.</param>
    /// <param name="testFrom">The first moment of the test set.</param>
    /// <returns>The workflow with its split.</returns>
    /// <exception cref="WorkflowValidationException">Another call already chooses the test rows.</exception>
    public Workflow SplitBy(string column, DateTime testFrom)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        return new(Cleared("SplitBy") with { SplitColumn = new ColumnSplit(column, null, testFrom) });
    }

    /// <summary>
    /// Evaluates on a test set of its own, loaded when the workflow runs: the model is fitted on all the <see cref="Load(IDataSource)"/>
    /// data and scored on this. The test data is read with the training data's schema: a column that is a whole number or
    /// Single here but Double in the training data (a file without missing values in it) is widened; a column that cannot be
    /// converted fails the run with a <see cref="WorkflowValidationException"/> that names it and both types.
    /// </summary>
    /// <param name="source">The test data, with the model's input columns and the label's.</param>
    /// <returns>The workflow with its test set.</returns>
    /// <exception cref="WorkflowValidationException">Another call already chooses the test rows.</exception>
    public Workflow TestOn(IDataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new(Cleared("TestOn") with { TestSource = source });
    }

    /// <summary>Evaluates on test data already in memory or opened by hand; otherwise as <see cref="TestOn(IDataSource)"/>.</summary>
    /// <param name="data">The test data.</param>
    /// <returns>The workflow with its test set.</returns>
    /// <exception cref="WorkflowValidationException">Another call already chooses the test rows.</exception>
    public Workflow TestOn(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new(Cleared("TestOn") with { TestData = data });
    }

    /// <summary>
    /// Cross-validates: metrics are each fold's mean and standard deviation; the model is then fitted on all the data,
    /// unless <paramref name="refit"/> is false.
    /// </summary>
    /// <param name="folds">The number of folds, at least 2. The default value is 5.</param>
    /// <param name="stratify">Whether each fold keeps each class's share of rows (classification only; scikit-learn's <c>StratifiedKFold</c>). The default value is false: the rows are shuffled for the workflow's seed and dealt to the folds in turn, so fold sizes differ by one row at most (scikit-learn's <c>KFold(shuffle=True)</c>).</param>
    /// <param name="groupBy">A column whose rows stay in one fold (scikit-learn's <c>GroupKFold</c>: groups, largest first, go to the smallest fold). The default is null.</param>
    /// <param name="refit">
    /// Whether to fit the final model on all the data after the folds. With false only the scores are computed: the result
    /// has no model (<see cref="WorkflowResult.HasModel"/> is false) and a tracker logs none. The default value is true.
    /// </param>
    /// <returns>The workflow with cross-validation.</returns>
    /// <exception cref="WorkflowValidationException">Another call already chooses the test rows, or both <paramref name="stratify"/> and <paramref name="groupBy"/> are given.</exception>
    public Workflow CrossValidate(int folds = 5, bool stratify = false, string? groupBy = null, bool refit = true)
    {
        if (folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "Cross-validation needs at least 2 folds.");
        }

        CheckSampling("CrossValidate", stratify, groupBy);
        return new(Cleared("CrossValidate") with { Folds = folds, Stratify = stratify, GroupColumn = groupBy, Refit = refit });
    }

    /// <summary>
    /// Stops a run that takes longer than <paramref name="limit"/>, loading and training included: ML.NET's context is
    /// cancelled, so a long <c>Fit</c> stops, and the run fails with a <see cref="WorkflowTimeoutException"/>. A context given
    /// to <see cref="Create"/> stays cancelled afterwards. The default is no limit.
    /// </summary>
    /// <param name="limit">The longest a run may take, more than zero; measured with the workflow's <see cref="TimeProvider"/>.</param>
    /// <returns>The workflow with its time limit.</returns>
    public Workflow TimeLimit(TimeSpan limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero);
        return new(_definition with { TimeLimit = limit });
    }

    /// <summary>Chooses the trainer.</summary>
    /// <param name="trainer">For example <c>Trainers.Regression.FastForest(trees: 100)</c>.</param>
    /// <returns>The workflow with its trainer.</returns>
    public Workflow Train(TrainerSpec trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        return new(_definition with { Trainer = trainer });
    }

    /// <summary>Asks for plots and feature importance besides the metrics (metrics are always computed).</summary>
    /// <param name="plots">Whether to draw PNG plots. The default value is false.</param>
    /// <param name="featureImportance">Whether to compute permutation feature importance (one evaluation per feature slot per permutation). The default value is false.</param>
    /// <param name="permutations">Shuffles per feature, more than 0. The default value is 1.</param>
    /// <param name="plotsFolder">
    /// Where to write the plots. The default is a new <c>plots-&lt;id&gt;</c> folder under <see cref="WorkflowOptions.TemporaryFolder"/>,
    /// deleted when the result is disposed.
    /// </param>
    /// <returns>The workflow with its evaluation settings.</returns>
    public Workflow Evaluate(bool plots = false, bool featureImportance = false, int permutations = 1, string? plotsFolder = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        return new(_definition with { Evaluation = new EvaluationSettings(plots, featureImportance, permutations, plotsFolder) });
    }

    /// <summary>
    /// Adds an observer created anew for every run (the hook tracking plugs into): concurrent runs of this workflow,
    /// or of workflows derived from it, each get their own observer.
    /// </summary>
    /// <param name="createObserver">Creates the observer of one run.</param>
    /// <returns>The workflow with the observer appended.</returns>
    public Workflow Observe(Func<IWorkflowObserver> createObserver)
    {
        ArgumentNullException.ThrowIfNull(createObserver);
        return new(_definition with { ObserverFactories = [.. _definition.ObserverFactories, createObserver] });
    }

    /// <summary>
    /// Adds one observer instance that sees every run of this workflow and of those derived from it. Use it for
    /// observers without per-run state; otherwise use <see cref="Observe(Func{IWorkflowObserver})"/>.
    /// </summary>
    /// <param name="observer">The observer.</param>
    /// <returns>The workflow with the observer appended.</returns>
    public Workflow Observe(IWorkflowObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return Observe(() => observer);
    }

    // The definition without any test-row choice; a different choice already made is a contradiction.
    private WorkflowDefinition Cleared(string scheme)
    {
        if (_definition.TestScheme is { } existing && existing != scheme)
        {
            throw new WorkflowValidationException(
                scheme, string.Empty, $"{existing}(...) already chooses the test rows; call only one of Split, SplitBy, TestOn and CrossValidate.");
        }

        return _definition.WithoutTestScheme();
    }

    private static void CheckSampling(string step, bool stratify, string? groupBy)
    {
        if (groupBy is not null && groupBy.Trim().Length == 0)
        {
            throw new ArgumentException("The group column must be a column name.", nameof(groupBy));
        }

        if (stratify && groupBy is not null)
        {
            throw new WorkflowValidationException(
                step, groupBy, "stratify and groupBy cannot both be asked for; keep groups together (groupBy) or class shares (stratify), not both.");
        }
    }

    /// <summary>
    /// An AutoML search over this workflow's data and label: the workflow's own feature steps run first, then the search
    /// featurises automatically (fitted on training rows only) and tries the trainer catalog within a budget. The trainer
    /// and split set on this workflow are ignored: the search chooses the trainer and holds out its own test rows.
    /// <code>
    /// var result = await workflow.AutoMl(o =&gt; o.Budget(TimeSpan.FromSeconds(60)).Metric("rmse")).RunAsync(cancellationToken);
    /// </code>
    /// </summary>
    /// <param name="configure">Sets the options (budget, trials, metric, validation, seed, trainers, tracking). The default is none: 60 seconds, the task's default metric.</param>
    /// <returns>The search, ready to run.</returns>
    public AutoMl.AutoMlSearch AutoMl(Action<AutoMl.AutoMlOptions>? configure = null)
    {
        var options = new AutoMl.AutoMlOptions();
        configure?.Invoke(options);
        return new AutoMl.AutoMlSearch(_definition, options);
    }

    /// <summary>
    /// The params a tracker logs: <c>seed</c>, <c>label</c>, <c>task</c>, <c>trainer</c> and its hyperparameters (with
    /// <c>trainer_seed</c> when it has its own), <c>split</c> (<c>train_test</c>, <c>cross_validation</c>, <c>column</c>,
    /// <c>test_set</c> or <c>none</c>) with <c>test_fraction</c>, <c>cv_folds</c> (and <c>cv_refit</c> = <c>false</c> without a refit),
    /// <c>split_column</c> and <c>split_test_from</c>, or <c>test_data</c> (the test source's name); <c>split_stratify</c> and
    /// <c>split_group</c> when asked for; <c>time_limit_s</c> under a time limit; and the feature steps (<c>feature_steps</c>
    /// and one <c>feature_step_&lt;i&gt;</c> each). A param is absent when its option is not used, so runs without it compare as before.
    /// </summary>
    /// <returns>Name to value, values in invariant culture.</returns>
    public IReadOnlyDictionary<string, string> GetParams() => WorkflowParameters.Build(_definition, _definition.Steps);

    /// <summary>
    /// Checks the workflow against a schema without training: the checks <see cref="RunAsync"/> makes before loading
    /// any value (the label's values are checked against the task when the workflow runs).
    /// </summary>
    /// <param name="schema">The schema of the data.</param>
    /// <exception cref="WorkflowValidationException">The workflow cannot run on it; the message names the step and column.</exception>
    public void Validate(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _definition.CheckComplete(dataKnown: true);
        WorkflowPlanner.Plan(_definition, _definition.CreateRunContext(), schema);
    }

    /// <summary>
    /// Runs the workflow: loads, validates (the label's values included), trains, evaluates, and calls this run's observers.
    /// </summary>
    /// <param name="cancellationToken">Cancels the run, training included: ML.NET's context is cancelled, so a long <c>Fit</c> stops.</param>
    /// <returns>The result; dispose it to delete the plots written to the temporary folder.</returns>
    /// <exception cref="WorkflowValidationException">The workflow is misused (raised before any training).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Task<WorkflowResult> RunAsync(CancellationToken cancellationToken = default) =>
        WorkflowExecutor.RunAsync(_definition, cancellationToken);
}
