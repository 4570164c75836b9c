namespace MlWorkflow.Server.Tests.Faults;

/// <summary>
/// A store whose first <c>log-batch</c> writes only its first <paramref name="metricsWritten"/> metrics, then stalls until released:
/// a server process that died in the middle of a write, as its store and its journal saw it.
/// </summary>
internal sealed class StalledLogBatchStore(ITrackingStore inner, int metricsWritten) : ITrackingStore
{
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    /// <summary>Completes once the first batch has been partly written and stalls.</summary>
    public Task Stalled => _stalled.Task;

    /// <summary>Lets the stalled batch return (without writing the rest).</summary>
    public void Release() => _release.TrySetResult();

    public Task<string> CreateExperimentAsync(string name, string? artifactLocation = null, IReadOnlyList<ExperimentTag>? tags = null, CancellationToken cancellationToken = default) => inner.CreateExperimentAsync(name, artifactLocation, tags, cancellationToken);

    public Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default) => inner.GetExperimentAsync(experimentId, cancellationToken);

    public Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default) => inner.GetExperimentByNameAsync(name, cancellationToken);

    public Task<PagedList<Experiment>> SearchExperimentsAsync(SearchExperimentsRequest request, CancellationToken cancellationToken = default) => inner.SearchExperimentsAsync(request, cancellationToken);

    public Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default) => inner.RenameExperimentAsync(experimentId, newName, cancellationToken);

    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default) => inner.DeleteExperimentAsync(experimentId, cancellationToken);

    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default) => inner.RestoreExperimentAsync(experimentId, cancellationToken);

    public Task SetExperimentTagAsync(string experimentId, ExperimentTag tag, CancellationToken cancellationToken = default) => inner.SetExperimentTagAsync(experimentId, tag, cancellationToken);

    public Task<Run> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken = default) => inner.CreateRunAsync(request, cancellationToken);

    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) => inner.GetRunAsync(runId, cancellationToken);

    public Task<RunInfo> UpdateRunInfoAsync(string runId, RunStatus status, long? endTime, string? runName = null, CancellationToken cancellationToken = default) => inner.UpdateRunInfoAsync(runId, status, endTime, runName, cancellationToken);

    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default) => inner.DeleteRunAsync(runId, cancellationToken);

    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default) => inner.RestoreRunAsync(runId, cancellationToken);

    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _calls) != 1)
        {
            await inner.LogBatchAsync(runId, metrics, parameters, tags, cancellationToken);
            return;
        }

        await inner.LogBatchAsync(runId, metrics.Take(metricsWritten).ToArray(), parameters, tags, cancellationToken);
        _stalled.TrySetResult();
        await _release.Task.WaitAsync(cancellationToken);
    }

    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default) => inner.DeleteTagAsync(runId, key, cancellationToken);

    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken = default) => inner.LogInputsAsync(runId, datasets, cancellationToken);

    public Task RecordLoggedModelAsync(string runId, string modelJson, CancellationToken cancellationToken = default) => inner.RecordLoggedModelAsync(runId, modelJson, cancellationToken);

    public Task<PagedList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, int? maxResults = null, string? pageToken = null, CancellationToken cancellationToken = default) => inner.GetMetricHistoryAsync(runId, metricKey, maxResults, pageToken, cancellationToken);

    public Task<PagedList<Run>> SearchRunsAsync(SearchRunsRequest request, CancellationToken cancellationToken = default) => inner.SearchRunsAsync(request, cancellationToken);
}
