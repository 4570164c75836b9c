namespace MlWorkflow.Tracking.Sql.Tests.Sqlite;

/// <summary>SQLAlchemy's SQLite URI of a file: <c>sqlite:///</c> then the absolute path (four slashes on Unix).</summary>
internal static class SqliteUri
{
    public static string For(string path) => "sqlite:///" + Path.GetFullPath(path).Replace('\\', '/');
}
