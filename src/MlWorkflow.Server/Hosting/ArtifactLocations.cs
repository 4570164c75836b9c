using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Server.Hosting;

/// <summary>Reads <see cref="MlflowServerOptions.ArtifactsDestination"/> and <see cref="MlflowServerOptions.DefaultArtifactRoot"/> as <c>mlflow server</c> does.</summary>
internal static class ArtifactLocations
{
    private const string ProxyScheme = "mlflow-artifacts:";

    /// <summary>The destination folder (absolute), or null for the file store's own folder.</summary>
    /// <exception cref="ArgumentException">The destination is not a local folder or <c>file:</c> URI, or artifacts are not served.</exception>
    public static string? Destination(MlflowServerOptions options)
    {
        if (options.ArtifactsDestination is not { } destination)
        {
            return null;
        }

        if (!options.ServeArtifacts)
        {
            throw new ArgumentException("ArtifactsDestination needs ServeArtifacts: without the artifact proxy nothing is stored there.", nameof(options));
        }

        return LocalFolder(destination, "ArtifactsDestination");
    }

    /// <summary>The default artifact root for a file store the server opens, or null for the store's own folder.</summary>
    /// <exception cref="ArgumentException">The root is neither local nor an <c>mlflow-artifacts:</c> URI, or names the proxy while artifacts are not served.</exception>
    public static string? DefaultRoot(MlflowServerOptions options, string? destination)
    {
        if (options.DefaultArtifactRoot is not { } root)
        {
            return options.ServeArtifacts ? destination : null;
        }

        if (!root.StartsWith(ProxyScheme, StringComparison.OrdinalIgnoreCase))
        {
            return LocalFolder(root, "DefaultArtifactRoot");
        }

        if (!options.ServeArtifacts)
        {
            throw new ArgumentException($"DefaultArtifactRoot '{Quote(root)}' names the artifact proxy, which this server does not serve (ServeArtifacts is off).", nameof(options));
        }

        // mlflow-artifacts:/sub → <destination>/sub; the sub-path is checked like any proxied path, so it cannot leave the destination.
        var sub = root[ProxyScheme.Length..].TrimStart('/');
        string relative;
        try
        {
            relative = ArtifactRoots.CheckPath(sub);
        }
        catch (MlflowException)
        {
            throw new ArgumentException($"DefaultArtifactRoot '{Quote(root)}': the path after mlflow-artifacts:/ must stay inside the artifacts destination.", nameof(options));
        }

        return relative.Length == 0 ? destination : ArtifactPath.ResolveUnderRoot(destination ?? FileUris.ToPath(options.BackendStoreUri), relative);
    }

    private static string LocalFolder(string value, string option)
    {
        if (value.Contains('\0', StringComparison.Ordinal) || (FileUris.HasScheme(value) && !value.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"{option} '{Quote(value)}': only local folders and file: URIs are supported (remote artifact stores such as s3: are not supported yet).", nameof(value));
        }

        try
        {
            return FileUris.ToPath(value);
        }
        catch (MlflowException e)
        {
            throw new ArgumentException($"{option}: {e.Message}", nameof(value), e);
        }
    }

    private static string Quote(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
