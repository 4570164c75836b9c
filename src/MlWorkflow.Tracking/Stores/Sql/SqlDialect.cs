using System.Data.Common;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>What differs between the databases a SQL store runs on: driver, connection settings, schema script and a few SQL forms.</summary>
internal abstract class SqlDialect
{
    /// <summary>The URI scheme, such as <c>sqlite</c>.</summary>
    public abstract string Scheme { get; }

    /// <summary>The ADO.NET driver's assembly, loaded by name when the application references it.</summary>
    public abstract string DriverAssembly { get; }

    /// <summary>The driver's <see cref="DbProviderFactory"/> type (its static <c>Instance</c> field is read).</summary>
    public abstract string DriverFactoryType { get; }

    /// <summary>The NuGet package that brings the driver, named in the error when it is missing.</summary>
    public abstract string DriverPackage { get; }

    /// <summary>The embedded resource with MLflow's schema for this database.</summary>
    public abstract string SchemaResource { get; }

    /// <summary>The literal of a true boolean column value.</summary>
    public abstract string True { get; }

    /// <summary>The literal of a false boolean column value.</summary>
    public abstract string False { get; }

    /// <summary>The statement listing the tables of the database (one name per row).</summary>
    public abstract string ListTablesSql { get; }

    /// <summary>The statement listing the columns of the database's tables (table name, column name per row).</summary>
    public abstract string ListColumnsSql { get; }

    /// <summary>How text is ordered code point by code point (MLflow orders names that way on SQLite).</summary>
    public abstract string OrdinalCollation { get; }

    /// <summary>The metric history's order: the order logged where the database keeps it.</summary>
    public abstract string HistoryOrder { get; }

    /// <summary>Builds the driver's connection string from the URI's parts.</summary>
    public abstract string ConnectionString(DbProviderFactory factory, Uri uri, string original);

    /// <summary>Statements run on every opened connection, before any other (MLflow's per-session settings).</summary>
    public virtual string? SessionSql => null;

    /// <summary>Whether many rows go in one multi-row INSERT (a server over the network) rather than a reused single-row statement.</summary>
    public virtual bool MultiRowInsert => true;

    /// <summary>Whether a parameter may hold an array that <c>unnest(...)</c> turns into rows: many rows in one short statement the server plans once.</summary>
    public virtual bool ArrayParameters => false;

    /// <summary>Whether write transactions of one process take turns before they reach the database (its lock would make them sleep and retry).</summary>
    public virtual bool SerializeWritesInProcess => false;

    /// <summary>A statement run once when the store first opens a database, after the schema check (settings kept in the database file); null for none.</summary>
    public virtual string? OpenDatabaseSql => null;

    /// <summary>
    /// One statement that answers, for a database already in MLflow's schema, one row: the alembic revision, how many of
    /// <see cref="SqlDatabase.Columns"/> exist (<see cref="SqlDatabase.QualifiedColumns"/>' count when none is missing), whether an experiment exists and whether <see cref="OpenDatabaseSql"/> is in
    /// effect already; null to always take the full check. When it fails or answers anything else, the full check runs.
    /// </summary>
    public virtual string? SchemaCheckSql => null;

    /// <summary>A statement that makes concurrent schema checks (two servers starting on one empty database) take turns; null when a write transaction already does.</summary>
    public virtual string? InitializationLockSql => null;

    /// <summary>A statement that moves the experiment id generator past ids inserted explicitly; null when the database does so itself.</summary>
    public virtual string? AfterExplicitExperimentIdsSql => null;

    /// <summary>The largest experiment id the schema's column holds.</summary>
    public virtual long MaxExperimentId => long.MaxValue;

    /// <summary>A case-insensitive LIKE of <paramref name="column"/> against the parameter <paramref name="parameter"/>.</summary>
    public abstract string ILike(string column, string parameter);

    /// <summary>Whether the error is a unique or primary key violation.</summary>
    public abstract bool IsUniqueViolation(DbException error);

    /// <summary>Whether the error is worth a retry of the whole transaction (busy database, deadlock, serialization failure).</summary>
    public abstract bool IsTransient(DbException error);

    /// <summary>The dialect of a URI, by its scheme (<c>sqlite</c>, <c>postgresql</c>, <c>postgresql+driver</c>), or null for another scheme.</summary>
    public static SqlDialect? ForUri(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon < 2)
        {
            return null;
        }

        var scheme = uri[..colon].ToLowerInvariant();
        var plus = scheme.IndexOf('+', StringComparison.Ordinal);
        var name = plus > 0 ? scheme[..plus] : scheme;
        return name switch
        {
            "sqlite" => Sqlite.SqliteDialect.Instance,
            "postgresql" or "postgres" => Postgres.PostgresDialect.Instance,
            _ => null,
        };
    }
}
