namespace MlWorkflow.Tracking.Sql.Tests.Sqlite;

/// <summary><see cref="SqlPurgeContract"/> on SQLite (foreign keys enforced).</summary>
[TestFixture]
public sealed class SqlitePurgeTests : SqlPurgeContract
{
    protected override string CreateDatabaseUri() => SqliteUri.For(Path.Combine(Root, "mlflow.db"));
}
