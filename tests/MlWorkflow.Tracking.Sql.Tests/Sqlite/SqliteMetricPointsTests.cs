namespace MlWorkflow.Tracking.Sql.Tests.Sqlite;

/// <summary><see cref="SqlMetricPointsContract"/> on SQLite (prepared single-row inserts).</summary>
[TestFixture]
public sealed class SqliteMetricPointsTests : SqlMetricPointsContract
{
    protected override string CreateDatabaseUri() => SqliteUri.For(Path.Combine(Root, "mlflow.db"));
}
