using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Server.Hosting;

/// <summary>Reads <see cref="MlflowServerOptions.ArtifactsDestination"/> and <see cref="MlflowServerOptions.DefaultArtifactRoot"/> as <c>mlflow server</c> does.</summary>
internal static class ArtifactLocations
{
    private const string ProxyScheme = "mlflow-artifacts:";

    /// <summary>The destination folder (absolute) or remote root (<c>s3://bucket/prefix</c>), or null for the file store's own folder.</summary>
    /// <exception cref="ArgumentException">The destination is not a folder, a <c>file:</c> URI or a remote root, or artifacts are not served.</exception>
    /// <param name="options">The server's options.</param>
    /// <param name="loggers">The server's logger factory, which the repositories it opens log to (one cached S3 client per configuration and logger factory).</param>
    public static string? Destination(MlflowServerOptions options, ILoggerFactory? loggers)
    {
        if (options.ArtifactsDestination is not { } destination)
        {
            return null;
        }

        if (!options.ServeArtifacts)
        {
            throw new ArgumentException("ArtifactsDestination needs ServeArtifacts: without the artifact proxy nothing is stored there.", nameof(options));
        }

        return IsRemote(destination) ? Remote(destination, "ArtifactsDestination", loggers) : LocalFolder(destination, "ArtifactsDestination");
    }

    /// <summary>Whether a location is a remote root (a scheme other than <c>file:</c>, such as <c>s3:</c>), reached through an artifact repository.</summary>
    public static bool IsRemote(string location) =>
        FileUris.HasScheme(location) && !location.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && !location.StartsWith(ProxyScheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>The default artifact root for a file store the server opens, or null for the store's own folder.</summary>
    /// <exception cref="ArgumentException">The root is neither local nor an <c>mlflow-artifacts:</c> URI, or names the proxy while artifacts are not served.</exception>
    /// <param name="options">The server's options.</param>
    /// <param name="destination">The checked artifacts destination (see <see cref="Destination"/>).</param>
    /// <param name="loggers">The server's logger factory.</param>
    public static string? DefaultRoot(MlflowServerOptions options, string? destination, ILoggerFactory? loggers)
    {
        if (options.DefaultArtifactRoot is not { } root)
        {
            return options.ServeArtifacts ? destination : null;
        }

        if (!root.StartsWith(ProxyScheme, StringComparison.OrdinalIgnoreCase))
        {
            return IsRemote(root) ? Remote(root, "DefaultArtifactRoot", loggers) : LocalFolder(root, "DefaultArtifactRoot");
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

        if (relative.Length > 0 && destination is not null && IsRemote(destination))
        {
            return destination + "/" + relative;
        }

        return relative.Length == 0 ? destination : ArtifactPath.ResolveUnderRoot(destination ?? FileUris.ToPath(options.BackendStoreUri), relative);
    }

    /// <summary>A remote root as given, without a trailing <c>/</c>, once an artifact repository serves its scheme (the S3 package referenced, for <c>s3:</c>).</summary>
    private static string Remote(string value, string option, ILoggerFactory? loggers)
    {
        var root = value.TrimEnd('/');
        try
        {
            // Creating the repository checks the URI and that a package serves it, so that a bad root fails at start, not at the first upload.
            // The server's logger factory, as the repositories it opens later: their S3 client is then the one cached here.
            new ArtifactRepositoryFactory(loggers).Create(root);
        }
        catch (MlflowException e)
        {
            throw new ArgumentException($"{option} '{Quote(value)}': {e.Message}", nameof(value), e);
        }

        return root;
    }

    private static string LocalFolder(string value, string option)
    {
        if (value.Contains('\0', StringComparison.Ordinal) || (FileUris.HasScheme(value) && !value.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"{option} '{Quote(value)}': give a local folder, a file: URI or an s3:// URI.", nameof(value));
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
