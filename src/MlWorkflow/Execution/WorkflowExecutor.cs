using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Planning;
using MlWorkflow.Splitting;
using MlWorkflow.Training;

namespace MlWorkflow.Execution;

/// <summary>
/// Runs one workflow definition: load, plan, check the label, create this run's observers, fit, evaluate, plot.
/// One executor per run, so a run's state (context, observers, temporary folder) is never shared with another run.
/// </summary>
internal sealed class WorkflowExecutor
{
    private readonly WorkflowDefinition _definition;
    private readonly MLContext _ml;
    private readonly TimeProvider _clock;
    private readonly WorkflowOptions _options;
    private readonly TrainerSpec _trainer;
    private readonly string _label;
    private readonly IEvaluationPlotter? _plotter;
    private string? _temporaryFolder;
    private volatile string _stage = WorkflowDiagnostics.LoadActivity;

    private WorkflowExecutor(WorkflowDefinition definition, MLContext ml, IEvaluationPlotter? plotter)
    {
        _plotter = plotter;
        _definition = definition;
        _ml = ml;
        _clock = definition.TimeProvider;
        _options = definition.Options;
        _trainer = definition.Trainer!;
        _label = definition.Label!;
    }

    public static async Task<WorkflowResult> RunAsync(WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        definition.CheckComplete(dataKnown: false);
        var plotter = definition.Evaluation is { Plots: true } ? EvaluationPlotters.Resolve(definition.Options) : null;
        cancellationToken.ThrowIfCancellationRequested();
        var ml = definition.CreateRunContext();

        // The time limit cancels the run as the caller's token does; which of the two fired decides the error.
        using var limit = definition.TimeLimit is { } timeLimit ? new CancellationTokenSource(timeLimit, definition.TimeProvider) : null;
        using var linked = limit is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        var token = linked?.Token ?? cancellationToken;

        // ML.NET checks its context inside training loops: cancelling the context stops a Fit in progress.
        using var registration = token.Register(static state => MLContextCancellation.Cancel((MLContext)state!), ml);
        var executor = new WorkflowExecutor(definition, ml, plotter);
        try
        {
            return await executor.RunAsync(token).ConfigureAwait(false);
        }
        catch (Exception error) when (limit is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested && error is not WorkflowValidationException)
        {
            WorkflowLog.Cancelled(definition.Options.Logger);
            throw new WorkflowTimeoutException(definition.TimeLimit!.Value, executor._stage, error);
        }
        catch (Exception error) when (cancellationToken.IsCancellationRequested && !(error is OperationCanceledException cancelled && cancelled.CancellationToken == cancellationToken))
        {
            WorkflowLog.Cancelled(definition.Options.Logger);
            throw new OperationCanceledException("The workflow run was cancelled.", error, cancellationToken);
        }
    }

    private async Task<WorkflowResult> RunAsync(CancellationToken cancellationToken)
    {
        var logger = _options.Logger;
        var started = _clock.GetTimestamp();
        using var activity = WorkflowDiagnostics.Source.StartActivity(WorkflowDiagnostics.RunActivity);
        activity?.SetTag("mlworkflow.trainer", _trainer.Name);
        activity?.SetTag("mlworkflow.task", TrainerSpec.TaskName(_trainer.Task));
        activity?.SetTag("mlworkflow.label", _label);
        WorkflowLog.Started(logger, _trainer.Name, _label, _definition.Seed);

        IDataView data;
        IDataView? testData;
        using (var stage = Stage(WorkflowDiagnostics.LoadActivity))
        {
            data = _definition.Data ?? await _definition.Source!.LoadAsync(_ml, cancellationToken).ConfigureAwait(false);
            testData = _definition.TestData
                ?? (_definition.TestSource is { } testSource ? await testSource.LoadAsync(_ml, cancellationToken).ConfigureAwait(false) : null);
            stage.Complete();
        }

        var loaded = _clock.GetTimestamp();
        var plan = WorkflowPlanner.Plan(_definition, _ml, data.Schema);

        // A trainer with a seed of its own trains in its own context: the run's cancellation must reach it too.
        using var trainerCancellation = plan.TrainerContext == _ml
            ? default
            : cancellationToken.Register(static state => MLContextCancellation.Cancel((MLContext)state!), plan.TrainerContext);
        if (testData is not null)
        {
            testData = TestSet.Prepare(_ml, testData, data.Schema, plan, _label);
        }

        var parameters = WorkflowParameters.Build(_definition, plan.FeatureSteps);
        var (labelSteps, labelled) = await Task.Run(
            () =>
            {
                var fitted = plan.LabelSteps.Fit(data);
                var view = fitted.Transform(data);
                LabelCheck.Check(view, _label, _trainer);
                return (fitted, view);
            },
            cancellationToken).ConfigureAwait(false);
        var validated = _clock.GetTimestamp();
        cancellationToken.ThrowIfCancellationRequested();

        // Observers are created for this run only: two runs of one workflow never share an observer's state.
        var observers = _definition.ObserverFactories.Select(create => create()).ToArray();
        var context = new WorkflowStartingContext(parameters, _ml, data, _definition.Source, _trainer.Task, _label, _definition.Seed);
        var startedObservers = 0;
        try
        {
            foreach (var observer in observers)
            {
                await observer.OnStartingAsync(context, cancellationToken).ConfigureAwait(false);
                startedObservers++;
            }

            var labelledTest = testData is null ? null : labelSteps.Transform(testData);
            var result = await ExecuteAsync(plan, data, labelled, labelledTest, parameters, observers, started, loaded, validated, cancellationToken).ConfigureAwait(false);
            foreach (var observer in observers)
            {
                result = await observer.OnCompletedAsync(result, cancellationToken).ConfigureAwait(false);
            }

            var total = _clock.GetElapsedTime(started);
            WorkflowLog.Finished(logger, total.TotalMilliseconds);
            return result.WithTimings(result.Timings with { Total = total });
        }
        catch (Exception error)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                WorkflowLog.Failed(logger, error);
            }

            TemporaryFolders.Delete(_temporaryFolder);
            foreach (var observer in observers.Take(startedObservers + 1))
            {
                await observer.OnFailedAsync(error, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
    }

    private WorkflowStage Stage(string name)
    {
        _stage = name;
        return WorkflowStage.Start(name, _options.Logger, _clock);
    }

    private async Task<WorkflowResult> ExecuteAsync(
        WorkflowPlan plan, IDataView data, IDataView labelled, IDataView? labelledTest, IReadOnlyDictionary<string, string> parameters,
        IReadOnlyList<IWorkflowObserver> observers, long started, long loaded, long validated, CancellationToken cancellationToken)
    {
        var evaluation = _definition.Evaluation ?? new EvaluationSettings(false, false, 1, null);
        var trainTime = TimeSpan.Zero;
        var evaluateTime = TimeSpan.Zero;
        var modelInputSchema = plan.ModelInputSchema(data.Schema);

        var mark = _clock.GetTimestamp();
        var conversion = plan.LabelConversion is null
            ? null
            : await Task.Run(() => plan.LabelConversion.Fit(labelled), cancellationToken).ConfigureAwait(false);
        var prepared = conversion is null ? labelled : conversion.Transform(labelled);
        var preparedTest = labelledTest is null || conversion is null ? labelledTest : conversion.Transform(labelledTest);
        trainTime += _clock.GetElapsedTime(mark);

        FittedModel Fit(IDataView train)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ITransformer features;
            IDataView featurized;
            using (var stage = Stage(WorkflowDiagnostics.FeaturesActivity))
            {
                features = plan.Features.Fit(train);
                featurized = features.Transform(train);
                stage.Complete();
            }

            // A trainer that passes over the rows many times reads them from memory, and can shuffle them, whatever the source.
            if (_trainer.Descriptor.NeedsCache)
            {
                featurized = _ml.Data.Cache(featurized);
            }

            using (var stage = Stage(WorkflowDiagnostics.FitActivity))
            {
                var predictor = plan.Trainer.Fit(featurized);
                var post = plan.PostProcessing?.Fit(predictor.Transform(featurized));
                stage.Complete();
                return new FittedModel(features, predictor, post);
            }
        }

        (MetricSet Metrics, EvaluationData Data) Evaluate(FittedModel model, IDataView test)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stage = Stage(WorkflowDiagnostics.EvaluateActivity);
            var scored = model.Predictor.Transform(model.Features.Transform(test));
            var evaluated = ModelEvaluator.EvaluateWithData(_ml, scored, _trainer.Task, _label);
            stage.Complete();
            return evaluated;
        }

        MetricSet metrics;
        var folds = new List<MetricSet>();
        EvaluationData? plotData = null;
        IDataView? testPredictions = null;
        IReadOnlyList<FeatureImportance> importance = [];
        FittedModel? model = null;

        if (_definition.Folds is { } foldCount)
        {
            foreach (var fold in Splits.Folds(_definition, prepared, foldCount))
            {
                mark = _clock.GetTimestamp();
                var fitted = await Task.Run(() => Fit(fold.TrainSet), cancellationToken).ConfigureAwait(false);
                trainTime += _clock.GetElapsedTime(mark);
                mark = _clock.GetTimestamp();
                var (foldMetrics, foldData) = await Task.Run(() => Evaluate(fitted, fold.TestSet), cancellationToken).ConfigureAwait(false);
                folds.Add(foldMetrics);
                if (plotData is null)
                {
                    plotData = foldData;
                }
                else
                {
                    plotData.Append(foldData);
                }

                evaluateTime += _clock.GetElapsedTime(mark);
            }

            metrics = MetricSet.Summarize(folds);
            if (_definition.Refit)
            {
                mark = _clock.GetTimestamp();
                model = await Task.Run(() => Fit(prepared), cancellationToken).ConfigureAwait(false);
                trainTime += _clock.GetElapsedTime(mark);
                await NotifyTrainedAsync(observers, model.Scoring(), modelInputSchema, plan, data, cancellationToken).ConfigureAwait(false);
                if (evaluation.FeatureImportance)
                {
                    mark = _clock.GetTimestamp();
                    var fittedModel = model;
                    importance = await Task.Run(
                        () => PermutationFeatureImportanceCalculator.Compute(
                            _ml, _trainer.Task, fittedModel.Predictor, fittedModel.Features.Transform(prepared), _label, evaluation.Permutations),
                        cancellationToken).ConfigureAwait(false);
                    evaluateTime += _clock.GetElapsedTime(mark);
                }
            }
        }
        else
        {
            IDataView train = prepared;
            IDataView test = prepared;
            var onTrainingData = true;
            if (preparedTest is not null)
            {
                (test, onTrainingData) = (preparedTest, false);
            }
            else if (Splits.TrainTest(_definition, prepared) is { } split)
            {
                (train, test, onTrainingData) = (split.TrainSet, split.TestSet, false);
            }

            mark = _clock.GetTimestamp();
            var fittedModel = await Task.Run(() => Fit(train), cancellationToken).ConfigureAwait(false);
            model = fittedModel;
            trainTime += _clock.GetElapsedTime(mark);
            await NotifyTrainedAsync(observers, fittedModel.Scoring(), modelInputSchema, plan, data, cancellationToken).ConfigureAwait(false);

            mark = _clock.GetTimestamp();
            var (testMetrics, testData) = await Task.Run(() => Evaluate(fittedModel, test), cancellationToken).ConfigureAwait(false);
            metrics = onTrainingData ? testMetrics.AsTraining() : testMetrics;
            plotData = testData;
            var scored = fittedModel.Predictor.Transform(fittedModel.Features.Transform(test));
            testPredictions = onTrainingData ? null : fittedModel.Post is null ? scored : fittedModel.Post.Transform(scored);
            if (evaluation.FeatureImportance)
            {
                importance = await Task.Run(
                    () => PermutationFeatureImportanceCalculator.Compute(
                        _ml, _trainer.Task, fittedModel.Predictor, fittedModel.Features.Transform(test), _label, evaluation.Permutations),
                    cancellationToken).ConfigureAwait(false);
            }

            evaluateTime += _clock.GetElapsedTime(mark);
        }

        mark = _clock.GetTimestamp();
        IReadOnlyList<string> plots = [];
        if (evaluation.Plots && plotData is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stage = Stage(WorkflowDiagnostics.PlotsActivity);
            var folder = evaluation.PlotsFolder;
            if (folder is null)
            {
                TemporaryFolders.Evict(_options.TemporaryFolder, _options.TemporaryFileLifetime, _clock.GetUtcNow());
                folder = _temporaryFolder = TemporaryFolders.NewPlotsFolder(_options.TemporaryFolder);
            }

            Directory.CreateDirectory(folder);
            plots = _plotter!.WritePlots(plotData.ForPlotter(importance), folder, cancellationToken);
            stage.Complete();
        }

        var plotTime = _clock.GetElapsedTime(mark);
        var scoring = model?.Scoring();
        return new WorkflowResult
        {
            Metrics = metrics,
            FoldMetrics = folds,
            Model = scoring,
            LabelMapping = scoring is null ? null : LabelMapping.FromModel(scoring, modelInputSchema),
            MLContext = _ml,
            InputSchema = modelInputSchema,
            SignatureInputColumns = plan.SignatureInputColumns,
            Data = data,
            DataSource = _definition.Source,
            TestPredictions = testPredictions,
            PlotFiles = plots,
            FeatureImportance = importance,
            Params = parameters,
            Trainer = _trainer,
            LabelColumn = _label,
            TemporaryFolder = _temporaryFolder,
            Timings = new WorkflowTimings(
                _clock.GetElapsedTime(started, loaded),
                _clock.GetElapsedTime(loaded, validated),
                trainTime,
                evaluateTime,
                plotTime,
                _clock.GetElapsedTime(started)),
        };
    }

    private async Task NotifyTrainedAsync(
        IReadOnlyList<IWorkflowObserver> observers, ITransformer scoring, DataViewSchema inputSchema, WorkflowPlan plan, IDataView data, CancellationToken cancellationToken)
    {
        var context = new WorkflowTrainedContext(_ml, scoring, inputSchema, plan.SignatureInputColumns, data);
        foreach (var observer in observers)
        {
            await observer.OnTrainedAsync(context, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record FittedModel(ITransformer Features, ITransformer Predictor, ITransformer? Post)
    {
        public TransformerChain<ITransformer> Scoring() =>
            Post is null
                ? new TransformerChain<ITransformer>(Features, Predictor)
                : new TransformerChain<ITransformer>(Features, Predictor, Post);
    }
}
