using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Testing.Contracts;

/// <summary>Finds a logged model's folder on this machine: in place when local, else downloaded.</summary>
internal static class ModelFolders
{
    /// <summary>The model's local folder: the artifacts themselves when local, else a copy downloaded under <paramref name="download"/>.</summary>
    public static async Task<string> GetLocalAsync(MlflowClient client, string modelUri, string download, CancellationToken cancellationToken)
    {
        var isLocal = !modelUri.Contains(":/", StringComparison.Ordinal) && !ModelUri.IsModelsUri(modelUri) && !ModelUri.IsRunsUri(modelUri);
        if (isLocal || modelUri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return FileUris.ToPath(modelUri);
        }

        var artifactUri = await client.ResolveModelArtifactUriAsync(modelUri, cancellationToken).ConfigureAwait(false);

        var repository = client.Options.ArtifactRepositories.Create(artifactUri);
        return repository is LocalArtifactRepository inPlace && Directory.Exists(inPlace.RootDirectory)
            ? inPlace.RootDirectory
            : await repository.DownloadAsync(null, download, cancellationToken).ConfigureAwait(false);
    }
}
