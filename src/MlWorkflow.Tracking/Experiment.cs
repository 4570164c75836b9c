namespace MlWorkflow.Tracking;

/// <summary>An experiment: a named group of runs.</summary>
/// <param name="ExperimentId">The id (a string, even when it looks numeric).</param>
/// <param name="Name">The unique name.</param>
/// <param name="ArtifactLocation">The URI root under which the runs' artifacts go.</param>
/// <param name="LifecycleStage">Whether the experiment is active or deleted.</param>
/// <param name="CreationTime">Creation time in milliseconds since the Unix epoch, when known.</param>
/// <param name="LastUpdateTime">Last update time in milliseconds since the Unix epoch, when known.</param>
/// <param name="Tags">The experiment's tags.</param>
public sealed record Experiment(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    LifecycleStage LifecycleStage,
    long? CreationTime,
    long? LastUpdateTime,
    IReadOnlyList<ExperimentTag> Tags)
{
    /// <summary>The id of MLflow's default experiment.</summary>
    public const string DefaultExperimentId = "0";

    /// <summary>The name of MLflow's default experiment.</summary>
    public const string DefaultExperimentName = "Default";

    /// <summary>Finds a tag's value.</summary>
    /// <param name="key">The tag key.</param>
    /// <returns>The value, or null when the tag is not set.</returns>
    public string? GetTag(string key) => Tags.FirstOrDefault(t => t.Key == key)?.Value;
}
