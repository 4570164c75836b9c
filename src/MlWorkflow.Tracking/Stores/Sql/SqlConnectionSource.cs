using System.Data.Common;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>
/// Connections to a database named by a URI the way the SQL stores take it (<c>sqlite:///path/mlflow.db</c>,
/// <c>postgresql://user:password@host:port/db</c>), with MLflow's session settings but without MLflow's schema: for tables an
/// application keeps beside MLflow's (such as the tracking server's users and permissions).
/// </summary>
public sealed class SqlConnectionSource
{
    private readonly SqlDatabase _database;

    /// <summary>Resolves the URI's driver and connection settings; nothing is opened yet.</summary>
    /// <param name="databaseUri">A <c>sqlite:</c> or <c>postgresql:</c> URI.</param>
    /// <param name="providerFactory">The ADO.NET driver; null for the one the URI's scheme names, found by assembly name. The default value is null.</param>
    /// <exception cref="MlflowException">The URI is not a database URI, or its driver is not referenced by the application.</exception>
    public SqlConnectionSource(string databaseUri, DbProviderFactory? providerFactory = null)
    {
        _database = new SqlDatabase(databaseUri, providerFactory, null);
    }

    /// <summary>The URI with any password replaced by <c>***</c>, for messages and logs.</summary>
    public string RedactedUri => _database.RedactedUri;

    /// <summary>Whether the database is PostgreSQL (else SQLite): what DDL to write.</summary>
    public bool IsPostgreSql => _database.Dialect is Postgres.PostgresDialect;

    /// <summary>Opens a connection, with MLflow's session settings applied (for SQLite: foreign keys on, a 20 s busy timeout).</summary>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The open connection; the caller disposes it.</returns>
    /// <exception cref="MlflowException">The database cannot be reached (TEMPORARILY_UNAVAILABLE).</exception>
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => _database.OpenRawAsync(cancellationToken);

    /// <summary>Whether a driver error is a unique or primary key violation.</summary>
    /// <param name="error">The driver's error.</param>
    /// <returns>True for a unique or primary key violation.</returns>
    public bool IsUniqueViolation(DbException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return _database.Dialect.IsUniqueViolation(error);
    }

    /// <summary>Whether a driver error is worth retrying the transaction (a busy database, a deadlock).</summary>
    /// <param name="error">The driver's error.</param>
    /// <returns>True when a retry may succeed.</returns>
    public bool IsTransient(DbException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return _database.Dialect.IsTransient(error);
    }
}
