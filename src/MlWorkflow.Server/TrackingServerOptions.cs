using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server;

/// <summary>Settings of <see cref="TrackingServer"/>. Every numeric property is validated when set.</summary>
public sealed class TrackingServerOptions
{
    private int _port = 5000;
    private long _maxRequestBodyBytes = 64L * 1024 * 1024;
    private long _maxArtifactBytes = 10L * 1024 * 1024 * 1024;
    private int _idempotencyCacheSize = 10_000;
    private TimeSpan _idempotencyCacheLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The file store root (<c>./mlruns</c>, a path or a <c>file:</c> URI) used when <see cref="Store"/> is null. The default value is <c>./mlruns</c>.</summary>
    public string BackendStoreUri { get; set; } = "./mlruns";

    /// <summary>The store to serve; null for a file store at <see cref="BackendStoreUri"/>. The default value is null.</summary>
    public ITrackingStore? Store { get; set; }

    /// <summary>
    /// The model registry to serve; null for MLflow's file registry over the backend store root (<c>&lt;root&gt;/models</c>) when
    /// the tracking store is a <see cref="FileTrackingStore"/> or <see cref="Store"/> is null. A server over another tracking
    /// store and no registry answers the registry endpoints with 501. The default value is null.
    /// </summary>
    public IModelRegistryStore? RegistryStore { get; set; }

    /// <summary>The address to listen on; <c>localhost</c> means the loopback interface. Anything but loopback exposes the store unauthenticated. The default value is <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The TCP port, 0 for a free one. The default value is 5000.</summary>
    public int Port
    {
        get => _port;
        set => _port = value is >= 0 and <= 65535 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Port must be between 0 and 65535.");
    }

    /// <summary>
    /// The server certificate, with its private key: when set, the server speaks HTTPS only and <see cref="TrackingServer.Uri"/>
    /// is <c>https://…</c>. The caller keeps ownership. Cannot be combined with <see cref="CertificatePath"/>. The default value is
    /// null (plain HTTP).
    /// </summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>
    /// A file holding the server certificate: a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>, unlocked by <see cref="CertificatePassword"/>)
    /// or, when <see cref="CertificateKeyPath"/> is set, a PEM certificate. When set, the server speaks HTTPS only. Cannot be
    /// combined with <see cref="Certificate"/>. The default value is null (plain HTTP).
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of the certificate at <see cref="CertificatePath"/> (which is then read as PEM). The default value is null (a PKCS#12 file).</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The password of the PKCS#12 file or of the encrypted PEM key at <see cref="CertificateKeyPath"/>; never shown in messages. The default value is null (none).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Whether the <c>mlflow-artifacts</c> API is served and the file store's default artifact locations are shown as
    /// <c>mlflow-artifacts:/…</c> URIs (as <c>mlflow server --serve-artifacts</c> does), so that remote clients upload through
    /// the server. Needs a <see cref="FileTrackingStore"/>; otherwise the artifacts API answers 503. The default value is true.
    /// </summary>
    public bool ServeArtifacts { get; set; } = true;

    /// <summary>The largest JSON request body, in bytes (<c>log-batch</c> is held to MLflow's 1,000,000 bytes whatever this says). The default value is 64 MiB.</summary>
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

    /// <summary>How many applied <c>Idempotency-Key</c>s the server remembers to answer replays without applying them again. The default value is 10,000.</summary>
    public int IdempotencyCacheSize
    {
        get => _idempotencyCacheSize;
        set => _idempotencyCacheSize = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "IdempotencyCacheSize must not be negative.");
    }

    /// <summary>How long an applied <c>Idempotency-Key</c> is remembered. The default value is 10 minutes.</summary>
    public TimeSpan IdempotencyCacheLifetime
    {
        get => _idempotencyCacheLifetime;
        set => _idempotencyCacheLifetime = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "IdempotencyCacheLifetime must be positive.");
    }

    /// <summary>Adds middleware in front of every endpoint (logging, authentication, or fault injection in tests). The default value is null.</summary>
    public Action<IApplicationBuilder>? ConfigurePipeline { get; set; }

    /// <summary>The clock of the idempotency cache. The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
