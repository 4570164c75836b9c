using System.Data.Common;

namespace MlWorkflow.Tracking.Stores.Sql.Sqlite;

/// <summary>SQLite through Microsoft.Data.Sqlite: <c>sqlite:///relative/path.db</c>, <c>sqlite:////absolute/path.db</c>.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public override string Scheme => "sqlite";

    public override string DriverAssembly => "Microsoft.Data.Sqlite";

    public override string DriverFactoryType => "Microsoft.Data.Sqlite.SqliteFactory";

    public override string DriverPackage => "Microsoft.Data.Sqlite";

    public override string SchemaResource => "MlWorkflow.Tracking.Stores.Sql.Sqlite.schema.sql";

    public override string True => "1";

    public override string False => "0";

    public override string ListTablesSql => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";

    public override string ListColumnsSql => "SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'";

    public override string OrdinalCollation => "";

    public override string HistoryOrder => "rowid";

    // MLflow's SQLite session settings (mlflow-protocol 6.1): foreign keys, a 20 s wait on a locked database, case-sensitive LIKE;
    // reads through a memory map of up to 256 MiB (https://www.sqlite.org/mmap.html): a search that visits thousands of pages
    // copies none into the page cache, where the default 2 MB cache read them from the file again and again.
    public override string SessionSql => "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 20000; PRAGMA case_sensitive_like = true; PRAGMA mmap_size = 268435456;";

    // SQLite has one writer at a time; a waiting writer sleeps in its busy handler, so this process's writers queue in memory instead.
    public override bool SerializeWritesInProcess => true;

    public override bool MultiRowInsert => false;

    // Write-ahead logging: readers do not wait for a writer and a commit syncs one file, so several server processes share the file.
    // The mode is kept in the file; MLflow's SQLite client reads such a database as any other.
    public override string? OpenDatabaseSql => "PRAGMA journal_mode = WAL";

    public override string ConnectionString(DbProviderFactory factory, Uri uri, string original)
    {
        // sqlite:///relative.db → "relative.db"; sqlite:////abs/x.db → "/abs/x.db" (SQLAlchemy's form, which MLflow uses).
        var rest = original[(original.IndexOf(':', StringComparison.Ordinal) + 1)..];
        if (!rest.StartsWith("///", StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter($"SQLite URI '{Quote(original)}' must be sqlite:///relative/path.db or sqlite:////absolute/path.db.");
        }

        var path = Uri.UnescapeDataString(rest[3..].Split('?')[0]);
        if (path.Length == 0 || path == ":memory:" || path.Contains('\0', StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter($"SQLite URI '{Quote(original)}' must name a database file (an in-memory database would vanish with its connection).");
        }

        // A path with no quoting character is written as is: the driver's connection string builder costs a new process ~6 ms.
        var full = Path.GetFullPath(path);
        if (!NeedsQuoting(full))
        {
            return "Data Source=" + full;
        }

        var builder = factory.CreateConnectionStringBuilder() ?? new DbConnectionStringBuilder();
        builder["Data Source"] = full;
        return builder.ConnectionString;
    }

    // SQLite's schema check in one statement: revision, how many of MLflow's 95 columns exist (so its 18 tables), whether an
    // experiment exists, and whether the file is in WAL mode already (an error, e.g. no alembic_version, sends the store to the full check).
    public override string? SchemaCheckSql { get; } =
        "SELECT (SELECT version_num FROM alembic_version), (SELECT COUNT(*) FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name || '.' || c.name IN ("
        + string.Join(", ", SqlDatabase.QualifiedColumns.Select(c => "'" + c + "'"))
        + ")), EXISTS (SELECT 1 FROM experiments), (SELECT journal_mode FROM pragma_journal_mode) = 'wal'";

    public override string ILike(string column, string parameter) => $"lower({column}) LIKE lower({parameter})";

    // SQLite names both unique and primary key violations so.
    public override bool IsUniqueViolation(DbException error) =>
        error.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal);

    // SQLITE_BUSY (5), SQLITE_LOCKED (6).
    public override bool IsTransient(DbException error) =>
        error.Message.Contains("database is locked", StringComparison.Ordinal) || error.Message.Contains("SQLITE_BUSY", StringComparison.Ordinal);

    /// <summary>Whether the connection string builder would quote the value (a plain loop: vectorized searches cost a new process their JIT).</summary>
    private static bool NeedsQuoting(string value)
    {
        if (value.Length == 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            return true;
        }

        foreach (var c in value)
        {
            if (c is ';' or '\'' or '"' or '=' or '\0')
            {
                return true;
            }
        }

        return false;
    }

    private static string Quote(string text) => Validation.TrackingValidation.Printable(text.Length > 200 ? text[..200] + "…" : text);
}
