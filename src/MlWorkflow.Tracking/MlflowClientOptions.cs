using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Logging;

namespace MlWorkflow.Tracking;

/// <summary>Settings of an <see cref="MlflowClient"/>.</summary>
public sealed class MlflowClientOptions
{
    /// <summary>The clock for timestamps (metric timestamps, run start and end). The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How active runs queue and batch their data. The default value is a new <see cref="BatchedLoggingOptions"/>.</summary>
    public BatchedLoggingOptions Logging { get; init; } = new();

    /// <summary>Chooses artifact repositories by URI scheme. The default value knows local (<c>file:</c>) artifacts.</summary>
    public ArtifactRepositoryFactory ArtifactRepositories { get; init; } = new();
}
