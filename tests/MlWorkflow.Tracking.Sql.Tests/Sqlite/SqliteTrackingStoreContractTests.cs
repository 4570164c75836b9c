using MlWorkflow.Server.Tests.Contract;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests.Sqlite;

/// <summary>The tracking store contract against a fresh SQLite database in MLflow's schema.</summary>
[TestFixture]
public sealed class SqliteTrackingStoreContractTests : TrackingStoreContract
{
    protected override Task<ITrackingStore> CreateStoreAsync(string root)
    {
        Directory.CreateDirectory(root);
        return Task.FromResult<ITrackingStore>(new SqlTrackingStore(SqliteUri.For(Path.Combine(root, "mlflow.db")), new SqlStoreOptions { DefaultArtifactRoot = root }));
    }
}
