namespace MlWorkflow.Tracking;

/// <summary>An entry of an artifact listing, as MLflow's <c>FileInfo</c>.</summary>
/// <param name="Path">The path relative to the run's artifact root, with forward slashes.</param>
/// <param name="IsDirectory">Whether the entry is a folder.</param>
/// <param name="FileSize">The size in bytes; null for folders.</param>
public sealed record ArtifactFileInfo(string Path, bool IsDirectory, long? FileSize);
