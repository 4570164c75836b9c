namespace MlWorkflow.Server.Hosting;

/// <summary>What every endpoint needs: the store, the artifact roots (null when artifacts are not served) and the options.</summary>
internal sealed record ServerContext(ITrackingStore Store, ArtifactRoots? Artifacts, TrackingServerOptions Options)
{
    /// <summary>An artifact URI as clients see it (<c>mlflow-artifacts:/…</c> for the file store's own locations).</summary>
    public string ToClientUri(string uri) => Artifacts?.ToClientUri(uri) ?? uri;
}
