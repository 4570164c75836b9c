namespace MlWorkflow.Tracking.Artifacts;

/// <summary>Logs a local path that may be a file or a folder.</summary>
internal static class ArtifactLogging
{
    public static Task LogPathAsync(IArtifactRepository repository, string localPath, string? artifactPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        if (Directory.Exists(localPath))
        {
            return repository.LogDirectoryAsync(localPath, artifactPath, cancellationToken);
        }

        if (File.Exists(localPath))
        {
            return repository.LogFileAsync(localPath, artifactPath, cancellationToken);
        }

        throw new FileNotFoundException($"Cannot log artifact: '{localPath}' is neither a file nor a folder.", localPath);
    }
}
