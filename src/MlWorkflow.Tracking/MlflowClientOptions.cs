using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Logging;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Tracking;

/// <summary>Settings of an <see cref="MlflowClient"/>. <see cref="MlflowClient.Create"/> copies them and never changes them.</summary>
public sealed class MlflowClientOptions
{
    /// <summary>The clock for timestamps (metric timestamps, run start and end). The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How active runs queue and batch their data. The default value is a new <see cref="BatchedLoggingOptions"/>.</summary>
    public BatchedLoggingOptions Logging { get; init; } = new();

    /// <summary>Chooses artifact repositories by URI scheme. The default value knows local (<c>file:</c>) artifacts.</summary>
    public ArtifactRepositoryFactory ArtifactRepositories { get; init; } = new();

    /// <summary>
    /// Where the client logs: REST retries and failures (<c>MlWorkflow.Tracking.Rest</c>), failed background writes of active
    /// runs (<c>MlWorkflow.Tracking.ActiveRun</c>), and, for a client made by <see cref="MlflowClient.Create"/>, the artifact
    /// repositories it creates (local writes, S3 transfers) unless <see cref="ArtifactRepositories"/> has a logger factory of its own. The default value is null: REST retries and failures go to stderr (see
    /// <see cref="RestStoreOptions.LoggerFactory"/>), nothing else is logged; activities and metrics of
    /// <see cref="Diagnostics.MlflowDiagnostics"/> are reported regardless.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// The transport settings of the REST stores <see cref="MlflowClient.Create"/> opens for an <c>http(s)://</c> URI (copied,
    /// never changed). The default value is null: MLflow's <c>MLFLOW_*</c> environment variables
    /// (<see cref="RestStoreOptions.FromEnvironment()"/>).
    /// </summary>
    public RestStoreOptions? Rest { get; init; }

    /// <summary>A copy whose artifact factory is a copy too, so that what a client registers stays its own; its repositories log to <see cref="LoggerFactory"/> unless the factory has a logger factory of its own.</summary>
    internal MlflowClientOptions CopyForClient() => new()
    {
        TimeProvider = TimeProvider,
        Logging = Logging,
        ArtifactRepositories = ArtifactRepositories.Clone(ArtifactRepositories.LoggerFactory ?? LoggerFactory),
        LoggerFactory = LoggerFactory,
        Rest = Rest,
    };
}
