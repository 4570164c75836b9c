namespace MlWorkflow.Tracking.Sql.Tests.Postgres;

/// <summary><see cref="SqlPurgeContract"/> on PostgreSQL.</summary>
[TestFixture]
public sealed class PostgresPurgeTests : SqlPurgeContract
{
    protected override string CreateDatabaseUri() => PostgresServer.Instance.CreateDatabase();
}
