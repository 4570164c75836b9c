namespace MlWorkflow.Tracking.Sql.Tests.Sqlite;

/// <summary><see cref="SqlRegistrySearchContract"/> on SQLite.</summary>
[TestFixture]
public sealed class SqliteRegistrySearchTests : SqlRegistrySearchContract
{
    protected override string CreateDatabaseUri() => SqliteUri.For(Path.Combine(Root, "mlflow.db"));
}
