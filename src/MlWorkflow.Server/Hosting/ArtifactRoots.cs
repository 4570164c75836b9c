using System.Collections.Concurrent;
using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Server.Hosting;

/// <summary>
/// Maps the file store's default artifact locations (<c>file:///…/mlruns/&lt;experiment&gt;</c>) to <c>mlflow-artifacts:/&lt;experiment&gt;</c>
/// for clients, and <c>mlflow-artifacts</c> API paths back to run artifact folders. Only paths under a real run's artifact
/// folder (<c>&lt;experiment id&gt;/&lt;run id&gt;/artifacts/…</c>) are served, so no request reaches the store's own metadata.
/// </summary>
internal sealed class ArtifactRoots
{
    private const string Scheme = "mlflow-artifacts:/";
    private readonly string _filePrefix;
    private readonly ConcurrentDictionary<string, string> _runRoots = new(StringComparer.Ordinal);

    public ArtifactRoots(ITrackingStore store, string artifactRootUri)
    {
        Store = store;
        _filePrefix = artifactRootUri.TrimEnd('/') + "/";
    }

    public ITrackingStore Store { get; }

    public string ToClientUri(string uri) =>
        uri.StartsWith(_filePrefix, StringComparison.Ordinal) ? Scheme + uri[_filePrefix.Length..] : uri;

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
            return ArtifactPath.Normalize(path);
        }
        catch (MlflowException)
        {
            throw MlflowException.InvalidParameter("Invalid path");
        }
    }

    /// <summary>The run artifact repository and the path under it for an API path.</summary>
    public async Task<(LocalArtifactRepository Repository, string Relative)> ResolveAsync(string path, CancellationToken cancellationToken)
    {
        var normalized = CheckPath(path);
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

        return (new LocalArtifactRepository(root), string.Join('/', segments.Skip(3)));
    }
}
