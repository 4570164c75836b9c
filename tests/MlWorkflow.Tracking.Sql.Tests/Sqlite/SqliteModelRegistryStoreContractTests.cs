using MlWorkflow.Server.Tests.Contract;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests.Sqlite;

/// <summary>The registry contract against a fresh SQLite database in MLflow's schema.</summary>
[TestFixture]
public sealed class SqliteModelRegistryStoreContractTests : ModelRegistryStoreContract
{
    protected override Task<IModelRegistryStore> CreateRegistryAsync(string root)
    {
        Directory.CreateDirectory(root);
        return Task.FromResult<IModelRegistryStore>(new SqlModelRegistryStore(SqliteUri.For(Path.Combine(root, "mlflow.db"))));
    }
}
