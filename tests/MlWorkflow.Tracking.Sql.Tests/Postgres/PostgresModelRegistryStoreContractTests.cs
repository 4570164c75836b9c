using MlWorkflow.Server.Tests.Contract;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests.Postgres;

/// <summary>The registry contract against a fresh database on a real PostgreSQL server.</summary>
[TestFixture]
public sealed class PostgresModelRegistryStoreContractTests : ModelRegistryStoreContract
{
    protected override Task<IModelRegistryStore> CreateRegistryAsync(string root) =>
        Task.FromResult<IModelRegistryStore>(new SqlModelRegistryStore(PostgresServer.Instance.CreateDatabase()));
}
