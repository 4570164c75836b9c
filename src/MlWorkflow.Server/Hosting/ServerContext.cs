using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Server.Hosting;

/// <summary>What every endpoint needs: the stores, the artifact roots (null when artifacts are not served) and the options.</summary>
internal sealed record ServerContext(ITrackingStore Store, ArtifactRoots? Artifacts, TrackingServerOptions Options, IModelRegistryStore? Registry = null)
{
    /// <summary>An artifact URI as clients see it (<c>mlflow-artifacts:/…</c> for the file store's own locations).</summary>
    public string ToClientUri(string uri) => Artifacts?.ToClientUri(uri) ?? uri;

    /// <summary>The registry store, or a 501 when the server has none.</summary>
    public IModelRegistryStore RequireRegistry() =>
        Registry ?? throw new MlflowException(ErrorCode.NotImplemented, "This server has no model registry: start it with TrackingServerOptions.RegistryStore, or over a file store.");
}
