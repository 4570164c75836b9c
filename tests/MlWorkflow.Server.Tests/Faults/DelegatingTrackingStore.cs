namespace MlWorkflow.Server.Tests.Faults;

/// <summary>A store that forwards every call to <paramref name="inner"/>: the fault stores override only the calls they break.</summary>
internal abstract class DelegatingTrackingStore(ITrackingStore inner) : ITrackingStore
{
    /// <summary>The store every call goes to unless overridden.</summary>
    protected ITrackingStore Inner => inner;

    public virtual Task<string> CreateExperimentAsync(string name, string? artifactLocation = null, IReadOnlyList<ExperimentTag>? tags = null, CancellationToken cancellationToken = default) => inner.CreateExperimentAsync(name, artifactLocation, tags, cancellationToken);

    public virtual Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default) => inner.GetExperimentAsync(experimentId, cancellationToken);

    public virtual Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default) => inner.GetExperimentByNameAsync(name, cancellationToken);

    public virtual Task<PagedList<Experiment>> SearchExperimentsAsync(SearchExperimentsRequest request, CancellationToken cancellationToken = default) => inner.SearchExperimentsAsync(request, cancellationToken);

    public virtual Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default) => inner.RenameExperimentAsync(experimentId, newName, cancellationToken);

    public virtual Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default) => inner.DeleteExperimentAsync(experimentId, cancellationToken);

    public virtual Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default) => inner.RestoreExperimentAsync(experimentId, cancellationToken);

    public virtual Task SetExperimentTagAsync(string experimentId, ExperimentTag tag, CancellationToken cancellationToken = default) => inner.SetExperimentTagAsync(experimentId, tag, cancellationToken);

    public virtual Task<Run> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken = default) => inner.CreateRunAsync(request, cancellationToken);

    public virtual Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) => inner.GetRunAsync(runId, cancellationToken);

    public virtual Task<RunInfo> UpdateRunInfoAsync(string runId, RunStatus status, long? endTime, string? runName = null, CancellationToken cancellationToken = default) => inner.UpdateRunInfoAsync(runId, status, endTime, runName, cancellationToken);

    public virtual Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default) => inner.DeleteRunAsync(runId, cancellationToken);

    public virtual Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default) => inner.RestoreRunAsync(runId, cancellationToken);

    public virtual Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken = default) => inner.LogBatchAsync(runId, metrics, parameters, tags, cancellationToken);

    public virtual Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default) => inner.DeleteTagAsync(runId, key, cancellationToken);

    public virtual Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken = default) => inner.LogInputsAsync(runId, datasets, cancellationToken);

    public virtual Task RecordLoggedModelAsync(string runId, string modelJson, CancellationToken cancellationToken = default) => inner.RecordLoggedModelAsync(runId, modelJson, cancellationToken);

    public virtual Task<PagedList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, int? maxResults = null, string? pageToken = null, CancellationToken cancellationToken = default) => inner.GetMetricHistoryAsync(runId, metricKey, maxResults, pageToken, cancellationToken);

    public virtual Task<PagedList<Run>> SearchRunsAsync(SearchRunsRequest request, CancellationToken cancellationToken = default) => inner.SearchRunsAsync(request, cancellationToken);
}
