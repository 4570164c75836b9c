using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Server.Hosting;

/// <summary>
/// Maps artifact locations under the artifacts destination (<c>file:///…/&lt;destination&gt;/&lt;experiment&gt;</c>) to
/// <c>mlflow-artifacts:/&lt;experiment&gt;</c> for clients, and <c>mlflow-artifacts</c> API paths back to files under the destination.
/// When the destination is the file store's own folder, only paths under a real run's artifact folder
/// (<c>&lt;experiment id&gt;/&lt;run id&gt;/artifacts/…</c>) are served, so no request reaches the store's own metadata; a
/// destination of its own serves any safe path under it, as MLflow's <c>--artifacts-destination</c> does. A remote destination
/// (<c>s3://bucket/prefix</c>) is reached through its artifact repository (the S3 package's), streamed both ways.
/// </summary>
internal sealed class ArtifactRoots
{
    private const string Scheme = "mlflow-artifacts:/";
    private readonly string _filePrefix;
    private readonly bool _sharesStoreFolder;
    private readonly ConcurrentDictionary<string, string> _runRoots = new(StringComparer.Ordinal);
    private readonly IArtifactRepository? _remote;
    private readonly ILoggerFactory? _loggers;

    /// <summary>Creates the roots; the repositories they open log to <paramref name="loggers"/> (the server's).</summary>
    public ArtifactRoots(ITrackingStore store, string? storeRoot, string? destinationDirectory = null, ILoggerFactory? loggers = null)
    {
        Store = store;
        _loggers = loggers;
        if (destinationDirectory is not null && ArtifactLocations.IsRemote(destinationDirectory))
        {
            DestinationUri = destinationDirectory.TrimEnd('/');
            _remote = new ArtifactRepositoryFactory(loggers).Create(DestinationUri);
        }
        else
        {
            DestinationDirectory = destinationDirectory is null
                ? storeRoot ?? throw new ArgumentNullException(nameof(destinationDirectory), "A store without a folder of its own needs an artifacts destination.")
                : Path.TrimEndingDirectorySeparator(Path.GetFullPath(destinationDirectory));
            DestinationUri = FileUris.FromPath(DestinationDirectory);
            _sharesStoreFolder = storeRoot is not null && string.Equals(DestinationDirectory, storeRoot, StringComparison.Ordinal);
        }

        _filePrefix = DestinationUri.TrimEnd('/') + "/";
    }

    public ITrackingStore Store { get; }

    /// <summary>The absolute folder proxied artifacts are kept in; null for a remote destination.</summary>
    public string? DestinationDirectory { get; }

    /// <summary>The <c>file:</c> URI of <see cref="DestinationDirectory"/>, or the remote root (<c>s3://bucket/prefix</c>).</summary>
    public string DestinationUri { get; }

    public string ToClientUri(string uri) =>
        uri.StartsWith(_filePrefix, StringComparison.Ordinal) ? Scheme + uri[_filePrefix.Length..] : uri;

    /// <summary>The file store location of an <c>mlflow-artifacts:/…</c> URI a client gave (other URIs as they are); its path is checked as the API's.</summary>
    public string ToStoreUri(string uri)
    {
        if (!uri.StartsWith("mlflow-artifacts:", StringComparison.OrdinalIgnoreCase))
        {
            return uri;
        }

        var path = uri["mlflow-artifacts:".Length..].TrimStart('/');
        return _filePrefix + CheckPath(path);
    }

    /// <summary>Checks an API path as MLflow does (no <c>..</c>, not absolute, no backslash, no <c>#</c>, no drive letter) and normalises it.</summary>
    /// <exception cref="MlflowException">400 <c>Invalid path</c>.</exception>
    public static string CheckPath(string? path)
    {
        if (path is not null && path.Contains('#', StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter("Invalid path");
        }

        try
        {
            // The route keeps %2F (and what a client encoded twice) encoded: the decoded form must be safe too, as MLflow checks it.
            if (path is not null && path.Contains('%', StringComparison.Ordinal))
            {
                ArtifactPath.Normalize(Uri.UnescapeDataString(path).Replace('\\', '/'));
            }

            return ArtifactPath.Normalize(path);
        }
        catch (MlflowException)
        {
            throw MlflowException.InvalidParameter("Invalid path");
        }
    }

    /// <summary>The run artifact repository and the path under it for an API path.</summary>
    public async Task<(IArtifactRepository Repository, string Relative)> ResolveAsync(string path, CancellationToken cancellationToken)
    {
        var normalized = CheckPath(path);
        if (_remote is not null)
        {
            return (_remote, normalized);
        }

        if (!_sharesStoreFolder)
        {
            return (new LocalArtifactRepository(DestinationDirectory!, _loggers), normalized);
        }

        var segments = normalized.Split('/');
        if (segments.Length < 3 || segments[2] != "artifacts")
        {
            throw MlflowException.InvalidParameter($"Invalid path: '{Endpoints.Excerpt.Of(normalized)}' is not under a run's artifact folder (<experiment id>/<run id>/artifacts/...).");
        }

        var runKey = segments[0] + "/" + segments[1];
        if (!_runRoots.TryGetValue(runKey, out var root))
        {
            var run = await Store.GetRunAsync(segments[1], cancellationToken).ConfigureAwait(false);
            var expected = _filePrefix + runKey + "/artifacts";
            if (run.Info.ExperimentId != segments[0] || run.Info.ArtifactUri != expected)
            {
                throw MlflowException.InvalidParameter($"Invalid path: '{Endpoints.Excerpt.Of(normalized)}' is not the artifact folder of run '{Endpoints.Excerpt.Of(segments[1])}'.");
            }

            root = run.Info.ArtifactUri;
            _runRoots.TryAdd(runKey, root);
        }

        return (new LocalArtifactRepository(root, _loggers), string.Join('/', segments.Skip(3)));
    }
}
