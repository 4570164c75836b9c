namespace MlWorkflow.Server.Tests.Faults;

/// <summary>A store whose run searches fail with an unexpected exception whose message names a server path: a server bug, as the client must not see it.</summary>
internal sealed class FailingSearchStore(ITrackingStore inner) : ITrackingStore
{
    public const string Secret = "/srv/secret/mlruns/0/meta.yaml";

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

    public Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken = default) => inner.LogBatchAsync(runId, metrics, parameters, tags, cancellationToken);

    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default) => inner.DeleteTagAsync(runId, key, cancellationToken);

    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken = default) => inner.LogInputsAsync(runId, datasets, cancellationToken);

    public Task RecordLoggedModelAsync(string runId, string modelJson, CancellationToken cancellationToken = default) => inner.RecordLoggedModelAsync(runId, modelJson, cancellationToken);

    public Task<PagedList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, int? maxResults = null, string? pageToken = null, CancellationToken cancellationToken = default) => inner.GetMetricHistoryAsync(runId, metricKey, maxResults, pageToken, cancellationToken);

    public Task<PagedList<Run>> SearchRunsAsync(SearchRunsRequest request, CancellationToken cancellationToken = default) =>
        Task.FromException<PagedList<Run>>(new InvalidOperationException($"Unexpected state in {Secret}"));
}
