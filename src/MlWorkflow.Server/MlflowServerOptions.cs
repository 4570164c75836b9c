using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server;

/// <summary>
/// Settings of the MLflow endpoints (<see cref="MlflowEndpointRouteBuilderExtensions"/>), registered with
/// <see cref="MlflowServiceCollectionExtensions.AddMlflowTrackingServer"/>; <see cref="TrackingServerOptions"/> adds the
/// settings of the standalone host. Every numeric property is validated when set.
/// </summary>
public class MlflowServerOptions
{
    private long _maxRequestBodyBytes = 8L * 1024 * 1024;
    private long _maxArtifactBytes = 10L * 1024 * 1024 * 1024;
    private int _idempotencyCacheSize = 10_000;
    private long _idempotencyCacheBytes = 16L * 1024 * 1024;
    private long _idempotencyJournalBytes = 32L * 1024 * 1024;
    private TimeSpan _idempotencyCacheLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The backend store: a file store root (<c>./mlruns</c>, a path or a <c>file:</c> URI) or a database in MLflow's schema (<c>sqlite:///path/mlflow.db</c>, <c>postgresql://user:password@host:port/db</c>; the application references the driver), used when <see cref="Store"/> is null and no <see cref="ITrackingStore"/> is registered in the services. The default value is <c>./mlruns</c>.</summary>
    public string BackendStoreUri { get; set; } = "./mlruns";

    /// <summary>The store to serve; null for the <see cref="ITrackingStore"/> registered in the services, else the file or SQL store at <see cref="BackendStoreUri"/>. The default value is null.</summary>
    public ITrackingStore? Store { get; set; }


    /// <summary>
    /// The model registry to serve; null for the <see cref="IModelRegistryStore"/> registered in the services, else MLflow's
    /// file registry over the backend store root (<c>&lt;root&gt;/models</c>) when the tracking store is a
    /// <see cref="FileTrackingStore"/>, or the SQL registry in the same database when it is a SQL store. A server with no registry answers the registry endpoints with 501. The default value is null.
    /// </summary>
    public IModelRegistryStore? RegistryStore { get; set; }

    /// <summary>
    /// Where the model registry lives when it is not beside the backend store (as <c>mlflow server --registry-store-uri</c>): a
    /// file store root (a folder or <c>file:</c> URI; the registry in its <c>models</c> folder) or a database in MLflow's schema
    /// (<c>sqlite:///…</c>, <c>postgresql://…</c>). Used when <see cref="RegistryStore"/> is null and no
    /// <see cref="IModelRegistryStore"/> is registered in the services. The default value is null: the registry of the backend
    /// store (its <c>models</c> folder, or the same database).
    /// </summary>
    public string? RegistryStoreUri { get; set; }

    /// <summary>
    /// Whether the <c>mlflow-artifacts</c> API is served and the file store's default artifact locations are shown as
    /// <c>mlflow-artifacts:/…</c> URIs (as <c>mlflow server --serve-artifacts</c> does), so that remote clients upload through
    /// the server. Needs a <see cref="FileTrackingStore"/>; otherwise the artifacts API answers 503. The default value is true.
    /// </summary>
    public bool ServeArtifacts { get; set; } = true;

    /// <summary>
    /// Where the <c>mlflow-artifacts</c> API keeps artifacts (as <c>mlflow server --artifacts-destination</c>): a local folder, a
    /// <c>file:</c> URI, or <c>s3://bucket/prefix</c> when the application references MlWorkflow.Tracking.S3 (streamed both ways). <c>mlflow-artifacts:/&lt;path&gt;</c> maps to <c>&lt;destination&gt;/&lt;path&gt;</c>, and no path a client sends
    /// leads out of it. When set and <see cref="DefaultArtifactRoot"/> is not, the file store this server opens puts new experiments'
    /// artifacts there. Needs <see cref="ServeArtifacts"/>. The default value is null: the file store's own folder (MLflow's own
    /// default is <c>./mlartifacts</c>; keeping one folder lets a store written by this server be copied whole).
    /// </summary>
    public string? ArtifactsDestination { get; set; }

    /// <summary>
    /// Where new experiments keep their artifacts (as <c>mlflow server --default-artifact-root</c>), for the file store this server
    /// opens at <see cref="BackendStoreUri"/>: a local folder or <c>file:</c> URI, <c>s3://bucket/prefix</c> (with the
    /// MlWorkflow.Tracking.S3 package; clients then write there directly), or <c>mlflow-artifacts:/</c> (optionally with a
    /// sub-path) for the <see cref="ArtifactsDestination"/>. Experiments that exist keep theirs. The default value is null: the
    /// artifacts destination when artifacts are served, else the store's own folder.
    /// </summary>
    public string? DefaultArtifactRoot { get; set; }

    /// <summary>
    /// The largest JSON request body, in bytes (<c>log-batch</c> is held to MLflow's 1,000,000 bytes whatever this says); a
    /// larger body is refused before it is read, which bounds what a hostile request costs the server's memory. MLflow's
    /// largest requests (a 1 MB <c>log-batch</c>, dataset schemas of up to 1 MB) fit well within the default. The default value is 8 MiB.
    /// </summary>
    public long MaxRequestBodyBytes
    {
        get => _maxRequestBodyBytes;
        set => _maxRequestBodyBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxRequestBodyBytes must be positive.");
    }

    /// <summary>The largest artifact upload, in bytes. The default value is 10 GiB.</summary>
    public long MaxArtifactBytes
    {
        get => _maxArtifactBytes;
        set => _maxArtifactBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxArtifactBytes must be positive.");
    }

    /// <summary>How many applied writes (by <c>Idempotency-Key</c>) the server remembers to answer replays without applying them again; 0 turns idempotency off. The default value is 10,000.</summary>
    public int IdempotencyCacheSize
    {
        get => _idempotencyCacheSize;
        set => _idempotencyCacheSize = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "IdempotencyCacheSize must not be negative.");
    }

    /// <summary>The most memory, in bytes, the remembered answers of applied writes take (keys and bodies); the oldest are forgotten first. The default value is 16 MiB.</summary>
    public long IdempotencyCacheBytes
    {
        get => _idempotencyCacheBytes;
        set => _idempotencyCacheBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "IdempotencyCacheBytes must be positive.");
    }

    /// <summary>How long an applied <c>Idempotency-Key</c> is remembered, in memory and in the journal. The default value is 10 minutes.</summary>
    public TimeSpan IdempotencyCacheLifetime
    {
        get => _idempotencyCacheLifetime;
        set => _idempotencyCacheLifetime = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "IdempotencyCacheLifetime must be positive.");
    }

    /// <summary>
    /// The folder of the idempotency journal, which lets a write retried across a server restart be answered (or completed)
    /// instead of applied twice; null for the file store's root folder (the journal's files, named <c>.idempotency-*.log</c>,
    /// are files, which MLflow's file store ignores), or no journal when the store is not a file store. The default value is null.
    /// </summary>
    public string? IdempotencyJournalDirectory { get; set; }

    /// <summary>Whether the idempotency journal is kept at all; without it, replays are recognised only within one server process. The default value is true.</summary>
    public bool PersistIdempotencyKeys { get; set; } = true;

    /// <summary>The most disk space, in bytes, the idempotency journal's files take; the oldest files are deleted first. The default value is 32 MiB.</summary>
    public long IdempotencyJournalBytes
    {
        get => _idempotencyJournalBytes;
        set => _idempotencyJournalBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "IdempotencyJournalBytes must be positive.");
    }

    /// <summary>
    /// Users and permissions, as MLflow's basic-auth app: when set, every call but <c>/health</c> needs credentials and the
    /// caller's permission (see <see cref="Auth.MlflowAuthOptions"/>). Applied by <see cref="TrackingServer"/> (<c>mlw server --auth</c>)
    /// only: mapping the endpoints into an application of yours (<c>MapMlflow</c> and the other <c>MapMlflow…</c> methods) with it
    /// set throws <see cref="InvalidOperationException"/> rather than serve them unchecked; put your own authentication in front of them instead.
    /// The default value is null (no authentication: keep the server on loopback or behind an authenticating proxy).
    /// </summary>
    public Auth.MlflowAuthOptions? Auth { get; set; }

    /// <summary>The clock of the idempotency cache and journal. The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
