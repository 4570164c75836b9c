namespace MlWorkflow.Tracking.Registry;

/// <summary>The outcome of <see cref="ModelRegistryClient.RollbackAsync"/>.</summary>
/// <param name="Production">The version now in Production (the one rolled back to).</param>
/// <param name="Archived">The versions that were in Production and are now Archived.</param>
public sealed record ModelRollback(ModelVersion Production, IReadOnlyList<ModelVersion> Archived);
