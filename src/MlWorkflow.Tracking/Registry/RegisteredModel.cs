namespace MlWorkflow.Tracking.Registry;

/// <summary>A registered model (MLflow's <c>RegisteredModel</c>): a named line of model versions.</summary>
/// <param name="Name">The unique name.</param>
/// <param name="CreationTimestamp">Creation time, in milliseconds since the Unix epoch.</param>
/// <param name="LastUpdatedTimestamp">Last update time, in milliseconds since the Unix epoch (bumped by updates, tags, aliases, new versions and transitions).</param>
/// <param name="Description">The description; null when never set.</param>
/// <param name="LatestVersions">The highest-numbered version in each stage that has one.</param>
/// <param name="Tags">The tags.</param>
/// <param name="Aliases">The aliases, ordered by alias.</param>
/// <param name="UserId">The creating user; null in file and OSS stores.</param>
public sealed record RegisteredModel(
    string Name,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? Description,
    IReadOnlyList<ModelVersion> LatestVersions,
    IReadOnlyList<RegisteredModelTag> Tags,
    IReadOnlyList<RegisteredModelAlias> Aliases,
    string? UserId = null)
{
    /// <summary>Finds a tag's value.</summary>
    /// <param name="key">The tag key.</param>
    /// <returns>The value, or null when the tag is not set.</returns>
    public string? GetTag(string key) => Tags.FirstOrDefault(t => t.Key == key)?.Value;

    /// <summary>Finds the version an alias points to.</summary>
    /// <param name="alias">The alias.</param>
    /// <returns>The version number, or null when the alias is not set.</returns>
    public int? GetAliasVersion(string alias) => Aliases.FirstOrDefault(a => a.Alias == alias)?.Version;
}
