namespace MlWorkflow.Tracking;

/// <summary>The arguments of <c>runs/create</c>.</summary>
public sealed record CreateRunRequest
{
    /// <summary>The experiment that will hold the run. The default value is <c>"0"</c> (MLflow's default experiment).</summary>
    public string ExperimentId { get; init; } = Experiment.DefaultExperimentId;

    /// <summary>The run name; when null, the <c>mlflow.runName</c> tag is used, else a name is generated. The default value is null.</summary>
    public string? RunName { get; init; }

    /// <summary>The user id to record (deprecated in MLflow; also sent as the <c>mlflow.user</c> tag). The default value is empty.</summary>
    public string UserId { get; init; } = string.Empty;

    /// <summary>Start time in milliseconds since the Unix epoch; when null, now. The default value is null.</summary>
    public long? StartTime { get; init; }

    /// <summary>Tags to set at creation. The default value is empty.</summary>
    public IReadOnlyList<RunTag> Tags { get; init; } = Array.Empty<RunTag>();
}
