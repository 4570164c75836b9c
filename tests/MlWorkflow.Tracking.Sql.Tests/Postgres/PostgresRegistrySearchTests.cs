namespace MlWorkflow.Tracking.Sql.Tests.Postgres;

/// <summary><see cref="SqlRegistrySearchContract"/> on PostgreSQL.</summary>
[TestFixture]
public sealed class PostgresRegistrySearchTests : SqlRegistrySearchContract
{
    protected override string CreateDatabaseUri() => PostgresServer.Instance.CreateDatabase();
}
