namespace MlWorkflow.Tracking.Artifacts;

/// <summary>Converts between local paths and the <c>file:</c> URIs MLflow writes.</summary>
internal static class LocalPaths
{
    /// <summary>The absolute local path of a <c>file:</c> URI or a plain path.</summary>
    public static string FromUriOrPath(string uriOrPath)
    {
        if (uriOrPath.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uriOrPath, UriKind.Absolute, out var uri) || !uri.IsFile)
            {
                throw MlflowException.InvalidParameter($"'{uriOrPath}' is not a valid file: URI.");
            }

            return Path.GetFullPath(uri.LocalPath);
        }

        if (uriOrPath.Contains("://", StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter($"'{uriOrPath}' is not a local path or file: URI.");
        }

        return Path.GetFullPath(uriOrPath);
    }

    /// <summary>The <c>file:///abs/path</c> URI of a local path, percent-encoded as Python's <c>Path.as_uri()</c> does.</summary>
    public static string ToFileUri(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;
}
