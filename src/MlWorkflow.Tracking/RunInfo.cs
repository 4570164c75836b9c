namespace MlWorkflow.Tracking;

/// <summary>The metadata of a run, as MLflow's <c>RunInfo</c>.</summary>
/// <param name="RunId">The run id: 32 lowercase hexadecimal characters.</param>
/// <param name="ExperimentId">The id of the experiment that holds the run.</param>
/// <param name="RunName">The run's name.</param>
/// <param name="UserId">The user id recorded at creation (deprecated in MLflow; the <c>mlflow.user</c> tag is the truth).</param>
/// <param name="Status">The run's status.</param>
/// <param name="StartTime">Start time, in milliseconds since the Unix epoch.</param>
/// <param name="EndTime">End time, in milliseconds since the Unix epoch; null while unset.</param>
/// <param name="ArtifactUri">The root URI of the run's artifacts.</param>
/// <param name="LifecycleStage">Whether the run is active or deleted.</param>
public sealed record RunInfo(
    string RunId,
    string ExperimentId,
    string RunName,
    string UserId,
    RunStatus Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    LifecycleStage LifecycleStage);
