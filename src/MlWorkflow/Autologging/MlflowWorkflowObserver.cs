using System.Globalization;
using MlWorkflow.Data;
using MlWorkflow.Models;
using Microsoft.ML;
using MlWorkflow.Tracking;

namespace MlWorkflow.Autologging;

/// <summary>
/// Autologging: records a workflow run as an MLflow run. Before training it logs the params (trainer,
/// hyperparameters, feature steps, split, seed) and the data set input; after, the metrics, durations, feature
/// importance, plots and the model (flavor <c>mlnet</c>), then ends the run FINISHED. A failed workflow ends its run
/// FAILED with the error in tags (<c>mlworkflow.error.type</c>, <c>mlworkflow.error.message</c>); what was logged before the failure stays.
/// An observer records one run at a time: <c>Track(...)</c> creates one per workflow run.
/// </summary>
public sealed class MlflowWorkflowObserver : IWorkflowObserver
{
    /// <summary>The value of the <c>mlflow.autologging</c> tag on runs this observer records.</summary>
    public const string AutologgingFlavor = "mlworkflow";

    private readonly MlflowClient _client;
    private readonly string _experimentName;
    private readonly string? _runName;
    private readonly WorkflowTrackingOptions _options;
    private ActiveRun? _run;
    private Task<SavedMlnetModel>? _modelSave;
    private Task<IDataView>? _inputExample;

    /// <summary>Creates an observer that records into an experiment (created when missing).</summary>
    /// <param name="client">The tracking client.</param>
    /// <param name="experimentName">The experiment's name.</param>
    /// <param name="runName">The run's name; null for a generated one.</param>
    /// <param name="options">What to log; null for everything.</param>
    public MlflowWorkflowObserver(MlflowClient client, string experimentName, string? runName = null, WorkflowTrackingOptions? options = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentException.ThrowIfNullOrEmpty(experimentName);
        _experimentName = experimentName;
        _runName = runName;
        _options = options ?? new WorkflowTrackingOptions();
    }

    /// <inheritdoc />
    public async Task OnStartingAsync(WorkflowStartingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_run is { IsEnded: false })
        {
            throw new InvalidOperationException($"This tracker is already recording run {_run.RunId}: track each concurrent workflow run with its own Track(...) call.");
        }

        var experiment = await _client.GetOrCreateExperimentAsync(_experimentName, cancellationToken).ConfigureAwait(false);
        var tags = new Dictionary<string, string>(_options.Tags) { ["mlflow.autologging"] = AutologgingFlavor };
        _run = await _client.StartRunAsync(experiment, _runName, tags, _options.Description, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var (key, value) in context.Params)
        {
            _run.LogParam(key, value);
        }

        if (_options.LogModel)
        {
            // The input example (the first rows) is read while the model trains.
            var ml = context.MLContext;
            var data = context.Data;
            _inputExample = Task.Run(() => ReadFirstRows(ml, data, InputExampleRows), cancellationToken);
        }

        if (_options.LogDataset)
        {
            var source = context.DataSource ?? DataSource.FromDataView(context.Data, "data");
            var description = await source.DescribeAsync(context.MLContext, cancellationToken).ConfigureAwait(false);
            await _run.LogInputAsync(description.ToMlflowDataset(), "training", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task OnTrainedAsync(WorkflowTrainedContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = _run ?? throw new InvalidOperationException("OnTrainedAsync was called before OnStartingAsync.");
        if (!_options.LogModel)
        {
            return;
        }

        // The model is saved while the workflow evaluates it; OnCompletedAsync stores it.
        var example = await InputExampleOrDataAsync(context.Data).ConfigureAwait(false);
        _modelSave = Task.Run(
            () => SavedMlnetModel.Save(
                run.RunId,
                context.MLContext,
                context.Model,
                context.InputSchema,
                new MlnetModelSaveOptions { InputColumns = context.SignatureInputColumns, InputExample = example, InputExampleRows = InputExampleRows },
                _options.ModelArtifactPath),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<WorkflowResult> OnCompletedAsync(WorkflowResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var run = _run ?? throw new InvalidOperationException("OnCompletedAsync was called before OnStartingAsync.");
        run.LogMetrics(result.Metrics);
        for (var fold = 0; fold < result.FoldMetrics.Count; fold++)
        {
            foreach (var (name, value) in result.FoldMetrics[fold])
            {
                run.LogMetric(name + "_fold", value, step: fold);
            }
        }

        run.LogMetric("training_duration_s", result.Timings.Train.TotalSeconds);
        run.LogMetric("evaluation_duration_s", result.Timings.Evaluate.TotalSeconds);
        run.LogMetric("total_duration_s", result.Timings.Total.TotalSeconds);

        if (result.FeatureImportance.Count > 0)
        {
            await run.LogJsonAsync("feature_importance.json", result.FeatureImportance.Select(f => new { feature = f.Feature, importance = f.Importance, std = f.StandardDeviation }), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (_options.LogPlots)
        {
            foreach (var plot in result.PlotFiles)
            {
                await run.LogArtifactAsync(plot, "plots", cancellationToken).ConfigureAwait(false);
            }
        }

        string? modelUri = null;
        if (_modelSave is not null)
        {
            using var saved = await _modelSave.ConfigureAwait(false);
            _modelSave = null;
            modelUri = await saved.LogAsync(run, cancellationToken).ConfigureAwait(false);
        }

        await run.EndAsync(RunStatus.Finished, cancellationToken).ConfigureAwait(false);
        return result.WithTracking(new TrackedRun(_client, run.RunId, modelUri));
    }

    /// <inheritdoc />
    public async Task OnFailedAsync(Exception error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var run = _run;
        if (run is null || run.IsEnded)
        {
            return;
        }

        await DiscardModelSaveAsync().ConfigureAwait(false);
        run.SetTag("mlworkflow.error.type", error.GetType().FullName ?? error.GetType().Name);
        run.SetTag("mlworkflow.error.message", Truncate(MessageChain(error), 5000));
        await run.EndAsync(RunStatus.Failed, cancellationToken).ConfigureAwait(false);
    }

    private const int InputExampleRows = 5;

    private static IDataView ReadFirstRows(Microsoft.ML.MLContext ml, Microsoft.ML.IDataView data, int rows)
    {
        // Copied into memory, so that the model save later reads no file.
        var first = ml.Data.Cache(ml.Data.TakeRows(data, rows));
        using (var cursor = first.GetRowCursor(first.Schema))
        {
            while (cursor.MoveNext())
            {
            }
        }

        return first;
    }

    // The rows read beside training; if that read failed, the model save reads them from the data itself.
    private async Task<IDataView> InputExampleOrDataAsync(IDataView data)
    {
        if (_inputExample is null)
        {
            return data;
        }

        try
        {
            return await _inputExample.ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException and not OutOfMemoryException)
        {
            return data;
        }
    }

    private async Task DiscardModelSaveAsync()
    {
        if (_modelSave is { } pending)
        {
            _modelSave = null;
            try
            {
                (await pending.ConfigureAwait(false)).Dispose();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // The workflow failed already; a model save that failed too adds nothing to report.
            }
        }
    }

    // ML.NET wraps failures of user code in its own exceptions: keep every message down to the root cause.
    private static string MessageChain(Exception error)
    {
        var messages = new List<string>();
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(" ---> ", messages);
    }

    private static string Truncate(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"MLflow tracker (experiment '{_experimentName}')");
}
