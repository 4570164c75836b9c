namespace MlWorkflow.Tracking;

/// <summary>Resolves the tracking URI as MLflow does: the value given, else <c>MLFLOW_TRACKING_URI</c>, else <c>./mlruns</c>.</summary>
public static class TrackingUri
{
    /// <summary>The environment variable that names the tracking URI.</summary>
    public const string EnvironmentVariable = "MLFLOW_TRACKING_URI";

    /// <summary>Resolves the tracking URI to use.</summary>
    /// <param name="trackingUri">A URI given in code; null or empty to use the environment or the default.</param>
    /// <returns>An <c>http(s)://</c> URI, or the <c>file:</c> URI of a local store folder (absolute).</returns>
    public static string Resolve(string? trackingUri = null)
    {
        var uri = !string.IsNullOrWhiteSpace(trackingUri) ? trackingUri
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : "mlruns";
        return IsRemote(uri) ? uri.TrimEnd('/') : Artifacts.FileUris.FromPath(Artifacts.FileUris.ToPath(uri));
    }

    /// <summary>Whether a tracking URI names a remote MLflow server (<c>http://</c>, <c>https://</c>).</summary>
    /// <param name="trackingUri">The URI.</param>
    /// <returns>True for HTTP(S) URIs.</returns>
    public static bool IsRemote(string trackingUri) =>
        trackingUri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || trackingUri.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
