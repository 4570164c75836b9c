namespace MlWorkflow.Tracking.Registry;

/// <summary>One version of a registered model (MLflow's <c>ModelVersion</c>).</summary>
/// <param name="Name">The registered model's name.</param>
/// <param name="Version">The version number, from 1 (MLflow sends it as a decimal string).</param>
/// <param name="CreationTimestamp">Creation time, in milliseconds since the Unix epoch.</param>
/// <param name="LastUpdatedTimestamp">Last update time, in milliseconds since the Unix epoch (bumped by updates and transitions).</param>
/// <param name="CurrentStage">The stage.</param>
/// <param name="Description">The description; null when never set.</param>
/// <param name="Source">The artifact URI the version was created from, as given (for example <c>runs:/&lt;id&gt;/model</c> or a <c>file:</c> URI).</param>
/// <param name="RunId">The run that produced the model; null when not given.</param>
/// <param name="Status">The registration status.</param>
/// <param name="StatusMessage">A message about the status; null when none.</param>
/// <param name="Tags">The tags.</param>
/// <param name="RunLink">A link to the run in another tracking server; null when none.</param>
/// <param name="Aliases">The aliases that point to this version, ordered.</param>
/// <param name="UserId">The creating user; null in file and OSS stores.</param>
public sealed record ModelVersion(
    string Name,
    int Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    ModelVersionStage CurrentStage,
    string? Description,
    string Source,
    string? RunId,
    ModelVersionStatus Status,
    string? StatusMessage,
    IReadOnlyList<ModelVersionTag> Tags,
    string? RunLink,
    IReadOnlyList<string> Aliases,
    string? UserId = null)
{
    /// <summary>Finds a tag's value.</summary>
    /// <param name="key">The tag key.</param>
    /// <returns>The value, or null when the tag is not set.</returns>
    public string? GetTag(string key) => Tags.FirstOrDefault(t => t.Key == key)?.Value;
}
