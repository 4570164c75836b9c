namespace MlWorkflow.Tracking;

/// <summary>
/// A tracking backend, mirroring MLflow's abstract tracking store: experiments, runs, batched logging,
/// metric history and search. Implementations: the local file store (MLflow's <c>mlruns/</c> layout)
/// and the REST store (MLflow's REST API 2.0).
/// </summary>
/// <remarks>Every failure is an <see cref="MlflowException"/> with MLflow's error code.</remarks>
public interface ITrackingStore
{
    /// <summary>Creates an experiment.</summary>
    /// <param name="name">A unique, non-empty name.</param>
    /// <param name="artifactLocation">The artifact root for its runs; null for the store's default.</param>
    /// <param name="tags">Tags to set.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new experiment's id.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.ResourceAlreadyExists"/> when the name is taken.</exception>
    Task<string> CreateExperimentAsync(string name, string? artifactLocation = null, IReadOnlyList<ExperimentTag>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>Gets an experiment by id, whatever its lifecycle stage.</summary>
    /// <param name="experimentId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The experiment.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.ResourceDoesNotExist"/> when there is none.</exception>
    Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Gets an experiment by name, whatever its lifecycle stage.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The experiment, or null when there is none.</returns>
    Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Searches experiments with MLflow's filter grammar, ordering and paging.</summary>
    /// <param name="request">The search arguments.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of experiments.</returns>
    Task<PagedList<Experiment>> SearchExperimentsAsync(SearchExperimentsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Renames an experiment.</summary>
    /// <param name="experimentId">The id.</param>
    /// <param name="newName">A unique, non-empty name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the experiment is renamed.</returns>
    Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default);

    /// <summary>Soft-deletes an experiment and its runs (the default experiment cannot be deleted).</summary>
    /// <param name="experimentId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the experiment is deleted.</returns>
    Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Restores a soft-deleted experiment.</summary>
    /// <param name="experimentId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the experiment is restored.</returns>
    Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Sets (or overwrites) a tag on an experiment.</summary>
    /// <param name="experimentId">The id.</param>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the tag is set.</returns>
    Task SetExperimentTagAsync(string experimentId, ExperimentTag tag, CancellationToken cancellationToken = default);

    /// <summary>Creates a run in status <see cref="RunStatus.Running"/>.</summary>
    /// <param name="request">The run's experiment, name, start time and tags.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new run.</returns>
    Task<Run> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken = default);

    /// <summary>Gets a run with its latest metrics, params, tags and inputs, whatever its lifecycle stage.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run.</returns>
    Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Updates a run's status, end time and name.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="status">The new status.</param>
    /// <param name="endTime">The end time in milliseconds since the Unix epoch; null leaves it unchanged.</param>
    /// <param name="runName">A new name; null leaves it unchanged.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated run info.</returns>
    Task<RunInfo> UpdateRunInfoAsync(string runId, RunStatus status, long? endTime, string? runName = null, CancellationToken cancellationToken = default);

    /// <summary>Soft-deletes a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the run is deleted.</returns>
    Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Restores a soft-deleted run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the run is restored.</returns>
    Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Logs metrics, params and tags in one call, within MLflow's batch limits (1000 metrics, 100 params, 100 tags, 1000 in all).</summary>
    /// <param name="runId">The run id; the run must be active.</param>
    /// <param name="metrics">Metric values to append.</param>
    /// <param name="parameters">Params to log; a param logged again must have the same value.</param>
    /// <param name="tags">Tags to set or overwrite.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when everything is written.</returns>
    Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken = default);

    /// <summary>Deletes a tag from a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the tag is deleted.</returns>
    Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default);

    /// <summary>Records the datasets a run used (<c>runs/log-inputs</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="datasets">The dataset inputs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the inputs are recorded.</returns>
    Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken = default);

    /// <summary>Records a logged model's MLmodel metadata in the run's <c>mlflow.log-model.history</c> tag (<c>runs/log-model</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="modelJson">The MLmodel metadata as JSON.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the model is recorded.</returns>
    Task RecordLoggedModelAsync(string runId, string modelJson, CancellationToken cancellationToken = default);

    /// <summary>Gets every value logged for a metric, in the order logged.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="metricKey">The metric key.</param>
    /// <param name="maxResults">The page size; null for all.</param>
    /// <param name="pageToken">The page token from a previous page; null for the first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of the metric's values.</returns>
    Task<PagedList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, int? maxResults = null, string? pageToken = null, CancellationToken cancellationToken = default);

    /// <summary>Searches runs with MLflow's filter grammar, ordering and paging.</summary>
    /// <param name="request">The search arguments.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of runs.</returns>
    Task<PagedList<Run>> SearchRunsAsync(SearchRunsRequest request, CancellationToken cancellationToken = default);
}
