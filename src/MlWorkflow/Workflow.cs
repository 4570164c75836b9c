using Microsoft.ML;
using MlWorkflow.Data;
using MlWorkflow.Execution;
using MlWorkflow.Features;
using MlWorkflow.Planning;
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

    /// <summary>Holds out a random test set; metrics are computed on it.</summary>
    /// <param name="testFraction">The fraction of rows held out, in (0, 1). The default value is 0.2.</param>
    /// <returns>The workflow with its split.</returns>
    public Workflow Split(double testFraction = 0.2)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1 (exclusive).");
        }

        return new(_definition with { TestFraction = testFraction, Folds = null });
    }

    /// <summary>Cross-validates: metrics are each fold's mean and standard deviation; the model is then fitted on all the data.</summary>
    /// <param name="folds">The number of folds, at least 2. The default value is 5.</param>
    /// <returns>The workflow with cross-validation.</returns>
    public Workflow CrossValidate(int folds = 5)
    {
        if (folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "Cross-validation needs at least 2 folds.");
        }

        return new(_definition with { Folds = folds, TestFraction = null });
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
    /// The params a tracker logs: <c>seed</c>, <c>label</c>, <c>task</c>, <c>trainer</c> and its hyperparameters,
    /// <c>split</c> (<c>train_test</c>, <c>cross_validation</c> or <c>none</c>) with <c>test_fraction</c> or
    /// <c>cv_folds</c>, and the feature steps (<c>feature_steps</c> and one <c>feature_step_&lt;i&gt;</c> each).
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
