using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Features;
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
/// Each call returns a new workflow (the original is unchanged), so one base can feed several trainers. The
/// run builds a plain ML.NET estimator chain; misuse is reported by <see cref="WorkflowValidationException"/>
/// before any training. The same seed gives the same metrics.
/// </summary>
public sealed class Workflow
{
    private readonly State _state;

    private Workflow(State state) => _state = state;

    /// <summary>The seed of the ML.NET context, the split and the folds.</summary>
    public int Seed => _state.Seed;

    /// <summary>The feature steps as configured (the automatic concatenation is added at run time).</summary>
    public IReadOnlyList<FeatureStep> FeatureSteps => _state.Steps;

    /// <summary>The trainer, or null before <see cref="Train"/>.</summary>
    public TrainerSpec? Trainer => _state.Trainer;

    /// <summary>The label column, or null before <see cref="Label"/>.</summary>
    public string? LabelColumn => _state.Label;

    /// <summary>The observers, in order.</summary>
    public IReadOnlyList<IWorkflowObserver> Observers => _state.Observers;

    /// <summary>Starts a workflow.</summary>
    /// <param name="seed">Seed of the ML.NET context, the split and the folds. The default value is 42.</param>
    /// <param name="mlContext">The ML.NET context to use; the default is a new one seeded with <paramref name="seed"/>.</param>
    /// <param name="timeProvider">The clock for timings. The default is the system clock.</param>
    /// <returns>An empty workflow.</returns>
    public static Workflow Create(int seed = 42, MLContext? mlContext = null, TimeProvider? timeProvider = null) =>
        new(new State(seed, mlContext ?? new MLContext(seed), timeProvider ?? TimeProvider.System));

    /// <summary>Uses data already in memory or opened by hand.</summary>
    /// <param name="data">The data.</param>
    /// <returns>The workflow with its data.</returns>
    public Workflow Load(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new(_state with { Data = data, Source = null });
    }

    /// <summary>Loads data from a source (CSV, Parquet, Arrow, Delta, objects) when the workflow runs.</summary>
    /// <param name="source">The source, for example <c>DataSource.Parquet("data/sales")</c>.</param>
    /// <returns>The workflow with its data.</returns>
    public Workflow Load(IDataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new(_state with { Source = source, Data = null });
    }

    /// <summary>Adds feature steps, read top to bottom.</summary>
    /// <param name="configure">For example <c>f =&gt; f.Log1p("sales", "log_sales").OneHot("city")</c>.</param>
    /// <returns>The workflow with the steps appended.</returns>
    public Workflow Features(Func<FeaturePipelineBuilder, FeaturePipelineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new FeaturePipelineBuilder();
        foreach (var step in _state.Steps)
        {
            builder.Add(step);
        }

        return new(_state with { Steps = configure(builder).Steps.ToArray() });
    }

    /// <summary>Names the label column (it may be written by a feature step, as <c>log_sales</c> is).</summary>
    /// <param name="column">The column.</param>
    /// <returns>The workflow with its label.</returns>
    public Workflow Label(string column)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        return new(_state with { Label = column });
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

        return new(_state with { TestFraction = testFraction, Folds = null });
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

        return new(_state with { Folds = folds, TestFraction = null });
    }

    /// <summary>Chooses the trainer.</summary>
    /// <param name="trainer">For example <c>Trainers.Regression.FastForest(trees: 100)</c>.</param>
    /// <returns>The workflow with its trainer.</returns>
    public Workflow Train(TrainerSpec trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        return new(_state with { Trainer = trainer });
    }

    /// <summary>Asks for plots and feature importance besides the metrics (metrics are always computed).</summary>
    /// <param name="plots">Whether to draw PNG plots. The default value is false.</param>
    /// <param name="featureImportance">Whether to compute permutation feature importance (one evaluation per feature slot per permutation). The default value is false.</param>
    /// <param name="permutations">Shuffles per feature, more than 0. The default value is 1.</param>
    /// <param name="plotsFolder">Where to write the plots. The default is a new folder under the temp folder.</param>
    /// <returns>The workflow with its evaluation settings.</returns>
    public Workflow Evaluate(bool plots = false, bool featureImportance = false, int permutations = 1, string? plotsFolder = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        return new(_state with { Evaluation = new EvaluationSettings(plots, featureImportance, permutations, plotsFolder) });
    }

    /// <summary>Adds an observer (the hook tracking plugs into).</summary>
    /// <param name="observer">The observer.</param>
    /// <returns>The workflow with the observer appended.</returns>
    public Workflow Observe(IWorkflowObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return new(_state with { Observers = [.. _state.Observers, observer] });
    }

    /// <summary>
    /// The params a tracker logs: <c>seed</c>, <c>label</c>, <c>task</c>, <c>trainer</c> and its hyperparameters,
    /// <c>split</c> (<c>train_test</c>, <c>cross_validation</c> or <c>none</c>) with <c>test_fraction</c> or
    /// <c>cv_folds</c>, and the feature steps (<c>feature_steps</c> and one <c>feature_step_&lt;i&gt;</c> each).
    /// </summary>
    /// <returns>Name to value, values in invariant culture.</returns>
    public IReadOnlyDictionary<string, string> GetParams() => BuildParams(_state.Steps);

    /// <summary>
    /// Checks the workflow against a schema without training: the same checks <see cref="RunAsync"/> makes.
    /// </summary>
    /// <param name="schema">The schema of the data.</param>
    /// <exception cref="WorkflowValidationException">The workflow cannot run on it; the message names the step and column.</exception>
    public void Validate(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        CheckComplete(dataKnown: true);
        Plan(schema);
    }

    /// <summary>Runs the workflow: loads, validates, trains, evaluates, and calls the observers.</summary>
    /// <param name="cancellationToken">Cancels the run between stages.</param>
    /// <returns>The result.</returns>
    /// <exception cref="WorkflowValidationException">The workflow is misused (raised before any training).</exception>
    public async Task<WorkflowResult> RunAsync(CancellationToken cancellationToken = default)
    {
        CheckComplete(dataKnown: false);
        var clock = _state.TimeProvider;
        var started = clock.GetTimestamp();
        var ml = _state.MLContext;
        var trainer = _state.Trainer!;
        var label = _state.Label!;

        var data = _state.Data ?? await _state.Source!.LoadAsync(ml, cancellationToken).ConfigureAwait(false);
        var loaded = clock.GetTimestamp();
        var plan = Plan(data.Schema);
        var parameters = BuildParams(plan.FeatureSteps);
        var validated = clock.GetTimestamp();
        cancellationToken.ThrowIfCancellationRequested();

        var context = new WorkflowStartingContext(parameters, ml, data, _state.Source, trainer.Task, label, _state.Seed);
        var startedObservers = 0;
        try
        {
            foreach (var observer in _state.Observers)
            {
                await observer.OnStartingAsync(context, cancellationToken).ConfigureAwait(false);
                startedObservers++;
            }

            var result = await ExecuteAsync(plan, data, parameters, clock, started, loaded, validated, cancellationToken).ConfigureAwait(false);
            foreach (var observer in _state.Observers)
            {
                result = await observer.OnCompletedAsync(result, cancellationToken).ConfigureAwait(false);
            }

            return result with { Timings = result.Timings with { Total = clock.GetElapsedTime(started) } };
        }
        catch (Exception error)
        {
            foreach (var observer in _state.Observers.Take(startedObservers + 1))
            {
                await observer.OnFailedAsync(error, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
    }

    private async Task<WorkflowResult> ExecuteAsync(
        WorkflowPlan plan, IDataView data, IReadOnlyDictionary<string, string> parameters, TimeProvider clock,
        long started, long loaded, long validated, CancellationToken cancellationToken)
    {
        var ml = _state.MLContext;
        var trainer = _state.Trainer!;
        var label = _state.Label!;
        var evaluation = _state.Evaluation ?? new EvaluationSettings(false, false, 1, null);
        var trainTime = TimeSpan.Zero;
        var evaluateTime = TimeSpan.Zero;

        var mark = clock.GetTimestamp();
        var labelModel = plan.LabelPreparation.Fit(data);
        var prepared = labelModel.Transform(data);
        trainTime += clock.GetElapsedTime(mark);

        (ITransformer Features, ITransformer Predictor, ITransformer? Post) Fit(IDataView train)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var features = plan.Features.Fit(train);
            var featurized = features.Transform(train);
            var predictor = plan.Trainer.Fit(featurized);
            var post = plan.PostProcessing?.Fit(predictor.Transform(featurized));
            return (features, predictor, post);
        }

        MetricSet metrics;
        var folds = new List<MetricSet>();
        EvaluationData? plotData = null;
        IDataView? testPredictions = null;
        IReadOnlyList<FeatureImportance> importance = [];
        (ITransformer Features, ITransformer Predictor, ITransformer? Post) model;

        if (_state.Folds is { } foldCount)
        {
            foreach (var fold in ml.Data.CrossValidationSplit(prepared, foldCount, seed: _state.Seed))
            {
                mark = clock.GetTimestamp();
                var fitted = Fit(fold.TrainSet);
                trainTime += clock.GetElapsedTime(mark);
                mark = clock.GetTimestamp();
                var scored = fitted.Predictor.Transform(fitted.Features.Transform(fold.TestSet));
                var (foldMetrics, foldData) = ModelEvaluator.EvaluateWithData(ml, scored, trainer.Task, label);
                folds.Add(foldMetrics);
                if (plotData is null)
                {
                    plotData = foldData;
                }
                else
                {
                    plotData.Append(foldData);
                }

                evaluateTime += clock.GetElapsedTime(mark);
            }

            metrics = MetricSet.Summarize(folds);
            mark = clock.GetTimestamp();
            model = Fit(prepared);
            trainTime += clock.GetElapsedTime(mark);
            await NotifyTrainedAsync(Scoring(model), data, plan, cancellationToken).ConfigureAwait(false);
            if (evaluation.FeatureImportance)
            {
                mark = clock.GetTimestamp();
                importance = PermutationFeatureImportanceCalculator.Compute(
                    ml, trainer.Task, model.Predictor, model.Features.Transform(prepared), label, evaluation.Permutations);
                evaluateTime += clock.GetElapsedTime(mark);
            }
        }
        else
        {
            IDataView train = prepared;
            IDataView test = prepared;
            var prefix = "training_";
            if (_state.TestFraction is { } fraction)
            {
                var split = ml.Data.TrainTestSplit(prepared, fraction, seed: _state.Seed);
                (train, test, prefix) = (split.TrainSet, split.TestSet, string.Empty);
            }

            mark = clock.GetTimestamp();
            model = Fit(train);
            trainTime += clock.GetElapsedTime(mark);
            await NotifyTrainedAsync(Scoring(model), data, plan, cancellationToken).ConfigureAwait(false);

            mark = clock.GetTimestamp();
            cancellationToken.ThrowIfCancellationRequested();
            var featurizedTest = model.Features.Transform(test);
            var scored = model.Predictor.Transform(featurizedTest);
            var (testMetrics, testData) = ModelEvaluator.EvaluateWithData(ml, scored, trainer.Task, label);
            metrics = prefix.Length == 0 ? testMetrics : new MetricSet(testMetrics.Select(m => KeyValuePair.Create(prefix + m.Key, m.Value)));
            plotData = testData;
            testPredictions = model.Post is null ? scored : model.Post.Transform(scored);
            if (evaluation.FeatureImportance)
            {
                importance = PermutationFeatureImportanceCalculator.Compute(
                    ml, trainer.Task, model.Predictor, featurizedTest, label, evaluation.Permutations);
            }

            evaluateTime += clock.GetElapsedTime(mark);
        }

        mark = clock.GetTimestamp();
        IReadOnlyList<string> plots = [];
        if (evaluation.Plots && plotData is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folder = evaluation.PlotsFolder
                ?? Path.Combine(Path.GetTempPath(), "mlworkflow", "plots-" + Guid.NewGuid().ToString("N"));
            plots = EvaluationPlots.WriteAll(plotData, importance, folder);
        }

        var plotTime = clock.GetElapsedTime(mark);
        var scoring = Scoring(model);
        return new WorkflowResult
        {
            Metrics = metrics,
            FoldMetrics = folds,
            Model = scoring,
            MLContext = ml,
            InputSchema = data.Schema,
            SignatureInputColumns = plan.SignatureInputColumns,
            Data = data,
            DataSource = _state.Source,
            TestPredictions = testPredictions,
            PlotFiles = plots,
            FeatureImportance = importance,
            Params = parameters,
            Trainer = trainer,
            LabelColumn = label,
            Timings = new WorkflowTimings(
                clock.GetElapsedTime(started, loaded),
                clock.GetElapsedTime(loaded, validated),
                trainTime,
                evaluateTime,
                plotTime,
                clock.GetElapsedTime(started)),
        };
    }

    private static TransformerChain<ITransformer> Scoring((ITransformer Features, ITransformer Predictor, ITransformer? Post) model) =>
        model.Post is null
            ? new TransformerChain<ITransformer>(model.Features, model.Predictor)
            : new TransformerChain<ITransformer>(model.Features, model.Predictor, model.Post);

    private async Task NotifyTrainedAsync(ITransformer scoring, IDataView data, WorkflowPlan plan, CancellationToken cancellationToken)
    {
        var context = new WorkflowTrainedContext(_state.MLContext, scoring, data.Schema, plan.SignatureInputColumns, data);
        foreach (var observer in _state.Observers)
        {
            await observer.OnTrainedAsync(context, cancellationToken).ConfigureAwait(false);
        }
    }

    private void CheckComplete(bool dataKnown)
    {
        if (!dataKnown && _state.Data is null && _state.Source is null)
        {
            throw new WorkflowValidationException("Load", string.Empty, "no data: call Load(...) with a data source or an IDataView.");
        }

        if (_state.Label is null)
        {
            throw new WorkflowValidationException("Label", string.Empty, "no label column: call Label(\"column\").");
        }

        if (_state.Trainer is null)
        {
            throw new WorkflowValidationException("Train", string.Empty, "no trainer: call Train(Trainers.<task>.<trainer>(...)).");
        }
    }

    private WorkflowPlan Plan(DataViewSchema schema)
    {
        var ml = _state.MLContext;
        var label = _state.Label!;
        var trainer = _state.Trainer!;
        var shape = ColumnTypes.ToShape(schema);

        // Steps that write the label belong to label preparation; the columns they read are not features.
        var labelSteps = _state.Steps.Where(s => s.OutputColumns.Contains(label)).ToArray();
        var featureSteps = _state.Steps.Where(s => !s.OutputColumns.Contains(label)).ToList();
        var excluded = new HashSet<string>(StringComparer.Ordinal) { label };
        var resolved = new List<FeatureStep>();
        IEstimator<ITransformer> labelPreparation = new EstimatorChain<ITransformer>();
        foreach (var step in labelSteps)
        {
            shape = step.Validate(ml, shape);
            labelPreparation = labelPreparation.Append(step.CreateEstimator(ml));
            excluded.UnionWith(step.InputColumns);
            resolved.Add(step);
        }

        if (!shape.TryFindColumn(label, out var labelColumn))
        {
            throw new WorkflowValidationException(
                "Label", label, $"column '{label}' does not exist; columns: {string.Join(", ", shape.Select(c => c.Name))}");
        }

        var conversion = LabelConversion(trainer, label, labelColumn);
        if (conversion is not null)
        {
            shape = conversion.GetOutputSchema(shape);
            labelPreparation = labelPreparation.Append(conversion);
        }

        // Feature steps, then the automatic concatenation and normalisation.
        IEstimator<ITransformer> features = new EstimatorChain<ITransformer>();
        if (!featureSteps.OfType<ConcatenateStep>().Any())
        {
            featureSteps.Add(new ConcatenateStep(null));
        }

        if (trainer.NeedsNormalization)
        {
            featureSteps.Add(new NormalizeStep(NormalizationKind.MinMax, [new InputOutputColumnPair(ConcatenateStep.DefaultOutput)]));
        }

        var consumed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var original in featureSteps)
        {
            var step = original is ConcatenateStep concatenate ? concatenate.Resolve(shape, excluded) : original;
            foreach (var column in step.InputColumns)
            {
                if (column == label)
                {
                    throw new FeatureValidationException(step, column, $"the step reads the label column '{label}'; a feature must not be computed from the label");
                }

                consumed.Add(column);
            }

            shape = step.Validate(ml, shape);
            features = features.Append(step.CreateEstimator(ml));
            resolved.Add(step);
        }

        if (!shape.TryFindColumn(ConcatenateStep.DefaultOutput, out var featureColumn)
            || featureColumn.Kind == SchemaShape.Column.VectorKind.Scalar
            || featureColumn.ItemType != NumberDataViewType.Single)
        {
            throw new WorkflowValidationException(
                "Features", ConcatenateStep.DefaultOutput, "the feature steps must end in a 'Features' vector of Single: keep or add a Concatenate() step");
        }

        var trainerEstimator = trainer.CreateEstimator(ml, label, ConcatenateStep.DefaultOutput);
        try
        {
            shape = trainerEstimator.GetOutputSchema(shape);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            throw new WorkflowValidationException("Train", label, $"trainer {trainer.Name} cannot train on this data: {error.Message}", error);
        }

        IEstimator<ITransformer>? post = trainer.Task == LearningTask.MulticlassClassification
            ? ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")
            : null;
        var signature = schema.Where(c => !c.IsHidden && consumed.Contains(c.Name)).Select(c => c.Name).Distinct().ToArray();
        return new WorkflowPlan(labelPreparation, features, trainerEstimator, post, resolved, signature);
    }

    private IEstimator<ITransformer>? LabelConversion(TrainerSpec trainer, string label, SchemaShape.Column column)
    {
        var ml = _state.MLContext;
        var described = ColumnTypes.Describe(column);
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar)
        {
            throw new WorkflowValidationException("Label", label, $"the label must be a single value per row, but column '{label}' is {described}");
        }

        var numeric = !column.IsKey && ColumnTypes.IsNumeric(column.ItemType);
        switch (trainer.Task)
        {
            case LearningTask.Regression when numeric:
                return column.ItemType == NumberDataViewType.Single ? null : ml.Transforms.Conversion.ConvertType(label, label, DataKind.Single);
            case LearningTask.Regression:
                throw new WorkflowValidationException(
                    "Train", label, $"regression trainer {trainer.Name} needs a numeric label, but column '{label}' is {described}; use a multiclass trainer for classes");
            case LearningTask.BinaryClassification when !column.IsKey && ColumnTypes.IsBoolean(column.ItemType):
                return null;
            case LearningTask.BinaryClassification when numeric:
                // 0/1 labels: non-zero is the positive class.
                return ml.Transforms.Expression(label, "x => x != 0", label);
            case LearningTask.BinaryClassification:
                throw new WorkflowValidationException(
                    "Train", label, $"binary trainer {trainer.Name} needs a Boolean or 0/1 numeric label, but column '{label}' is {described}; use a multiclass trainer for text classes");
            default:
                return column.IsKey ? null : ml.Transforms.Conversion.MapValueToKey(label, label);
        }
    }

    private IReadOnlyDictionary<string, string> BuildParams(IReadOnlyList<FeatureStep> steps)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["seed"] = _state.Seed.ToString(CultureInfo.InvariantCulture),
        };
        if (_state.Label is not null)
        {
            result["label"] = _state.Label;
        }

        if (_state.Trainer is not null)
        {
            foreach (var (key, value) in _state.Trainer.ToParams())
            {
                result[key] = value;
            }
        }

        if (_state.TestFraction is { } fraction)
        {
            result["split"] = "train_test";
            result["test_fraction"] = fraction.ToString("R", CultureInfo.InvariantCulture);
        }
        else if (_state.Folds is { } folds)
        {
            result["split"] = "cross_validation";
            result["cv_folds"] = folds.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            result["split"] = "none";
        }

        result["feature_steps"] = steps.Count == 0 ? "(none)" : string.Join("; ", steps);
        for (var i = 0; i < steps.Count; i++)
        {
            result[$"feature_step_{i}"] = steps[i].ToString();
        }

        return result;
    }

    private sealed record State(int Seed, MLContext MLContext, TimeProvider TimeProvider)
    {
        public IDataView? Data { get; init; }

        public IDataSource? Source { get; init; }

        public IReadOnlyList<FeatureStep> Steps { get; init; } = [];

        public string? Label { get; init; }

        public double? TestFraction { get; init; }

        public int? Folds { get; init; }

        public TrainerSpec? Trainer { get; init; }

        public EvaluationSettings? Evaluation { get; init; }

        public IReadOnlyList<IWorkflowObserver> Observers { get; init; } = [];
    }
}
