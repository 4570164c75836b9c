namespace MlWorkflow.Tracking.Sql.Tests.Postgres;

/// <summary><see cref="SqlMetricPointsContract"/> on PostgreSQL (points and latest values as arrays through <c>unnest</c>).</summary>
[TestFixture]
public sealed class PostgresMetricPointsTests : SqlMetricPointsContract
{
    protected override string CreateDatabaseUri() => PostgresServer.Instance.CreateDatabase();
}
