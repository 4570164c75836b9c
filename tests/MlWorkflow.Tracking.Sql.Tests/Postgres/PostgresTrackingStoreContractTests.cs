using MlWorkflow.Server.Tests.Contract;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests.Postgres;

/// <summary>The tracking store contract against a fresh database on a real PostgreSQL server.</summary>
[TestFixture]
public sealed class PostgresTrackingStoreContractTests : TrackingStoreContract
{
    protected override Task<ITrackingStore> CreateStoreAsync(string root) =>
        Task.FromResult<ITrackingStore>(new SqlTrackingStore(PostgresServer.Instance.CreateDatabase(), new SqlStoreOptions { DefaultArtifactRoot = root }));
}
