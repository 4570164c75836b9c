namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>What <see cref="FileStoreMigration.MigrateAsync"/> copied (and then verified) from a file store into a database.</summary>
/// <param name="Experiments">Experiments copied, the default experiment included.</param>
/// <param name="Runs">Runs copied, deleted ones included.</param>
/// <param name="MetricPoints">Metric points copied (an exact duplicate point in a file is stored once, as MLflow's primary key makes it).</param>
/// <param name="RegisteredModels">Registered models copied.</param>
/// <param name="ModelVersions">Model versions copied (deleted versions are not in the file store's listing and are not copied).</param>
public sealed record FileStoreMigrationResult(int Experiments, int Runs, long MetricPoints, int RegisteredModels, int ModelVersions);
