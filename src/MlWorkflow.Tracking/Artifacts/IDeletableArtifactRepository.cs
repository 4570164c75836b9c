namespace MlWorkflow.Tracking.Artifacts;

/// <summary>An artifact repository that can delete what it stores (the <c>mlflow-artifacts</c> proxy's DELETE uses it).</summary>
public interface IDeletableArtifactRepository : IArtifactRepository
{
    /// <summary>Deletes an artifact file, or a folder with everything under it; nothing when the path does not exist.</summary>
    /// <param name="artifactPath">The file or folder under the root; the root itself is refused.</param>
    /// <param name="cancellationToken">Cancels the deletion (what is deleted stays deleted).</param>
    /// <returns>A task that completes when the path is gone.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for the root or an unsafe path.</exception>
    Task DeleteAsync(string artifactPath, CancellationToken cancellationToken = default);
}
