using Microsoft.Extensions.Logging;
using MlWorkflow.Server.Idempotency;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Hosting;

/// <summary>What every endpoint needs: the stores, the artifact roots (null when artifacts are not served), the options, the idempotency of writes, the logger and the artifact repositories (which log to the server's logger factory).</summary>
internal sealed class ServerContext(ITrackingStore store, ArtifactRoots? artifacts, MlflowServerOptions options, IModelRegistryStore? registry, IdempotentWrites writes, ILogger logger, ILoggerFactory? loggers) : IDisposable
{
    private readonly string[] _hiddenRoots = store is FileTrackingStore files
        ?
        [
            .. new[]
            {
                files.ArtifactRootUri.TrimEnd('/'), Path.TrimEndingDirectorySeparator(files.RootDirectory), FileUris.FromPath(files.RootDirectory),
                ArtifactLocations.IsRemote(files.ArtifactRootUri) ? string.Empty : Path.TrimEndingDirectorySeparator(FileUris.ToPath(files.ArtifactRootUri)),
                artifacts?.DestinationUri ?? string.Empty, artifacts?.DestinationDirectory ?? string.Empty,
            }.Where(r => r.Length > 1).Distinct().OrderByDescending(r => r.Length),
        ]
        : [];

    private readonly Tracking.Artifacts.ArtifactRepositoryFactory _repositories = new(loggers);

    /// <summary>How many requests with a body larger than log-batch's (or of unknown length) are handled at once.</summary>
    public const int MaxLargeBodiesAtOnce = 2;

    public ITrackingStore Store => store;

    /// <summary>
    /// Admits requests with large JSON bodies a few at a time: parsing one and the store's work on it (a 30 MB filter or page
    /// token) take several times its size, so that this bounds the server's memory under hostile input.
    /// </summary>
    public SemaphoreSlim LargeBodies { get; } = new(MaxLargeBodiesAtOnce, MaxLargeBodiesAtOnce);

    public ArtifactRoots? Artifacts => artifacts;

    public MlflowServerOptions Options => options;

    /// <summary>Whether <see cref="MlflowServerOptions.Auth"/> is enforced in front of the endpoints (set by <see cref="TrackingServer"/>, which applies it).</summary>
    public bool AuthApplied { get; set; }

    public IModelRegistryStore? Registry => registry;

    public IdempotentWrites Writes => writes;

    public ILogger Logger => logger;

    /// <summary>Creates the artifact repositories of run and model locations; each logs to the server's logger factory.</summary>
    public Tracking.Artifacts.ArtifactRepositoryFactory ArtifactRepositories => _repositories;

    /// <summary>Closes the idempotency journal.</summary>
    public void Dispose()
    {
        writes.Dispose();
        LargeBodies.Dispose();
    }

    /// <summary>An artifact URI as clients see it (<c>mlflow-artifacts:/…</c> for the file store's own locations).</summary>
    public string ToClientUri(string uri) => Artifacts?.ToClientUri(uri) ?? uri;

    /// <summary>The artifact repository of a store location or client URI (<c>mlflow-artifacts:/…</c> when artifacts are served); a 501 for schemes the server cannot reach.</summary>
    public Tracking.Artifacts.IArtifactRepository OpenArtifacts(string artifactUri)
    {
        var uri = Artifacts?.ToStoreUri(artifactUri) ?? artifactUri;
        try
        {
            return _repositories.Create(uri);
        }
        catch (MlflowException e) when (e.ErrorCode == ErrorCode.NotImplemented)
        {
            throw new MlflowException(ErrorCode.NotImplemented, $"The server cannot reach artifacts at '{Endpoints.Excerpt.Of(artifactUri)}': it reads local folders, s3:// URIs when it has the S3 package and, when it serves artifacts, mlflow-artifacts:/ URIs. {e.Message}");
        }
    }

    /// <summary>The registry store, or a 501 when the server has none.</summary>
    public IModelRegistryStore RequireRegistry() =>
        Registry ?? throw new MlflowException(ErrorCode.NotImplemented, "This server has no model registry: start it with a RegistryStore, or over a file store.");

    /// <summary>A message for clients with the file store's root (as a path or URI) replaced by <c>&lt;store&gt;</c>: clients never learn the server's paths.</summary>
    public string Redact(string message)
    {
        foreach (var root in _hiddenRoots)
        {
            message = message.Replace(root, "<store>", StringComparison.Ordinal);
        }

        return message;
    }
}
