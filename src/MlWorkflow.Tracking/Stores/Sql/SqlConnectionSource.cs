using System.Data.Common;
using Microsoft.Extensions.Logging;

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
    /// <param name="loggerFactory">Where retries of a busy database are logged (category <c>MlWorkflow.Tracking.Stores.Sql</c>); null logs nothing. The default value is null.</param>
    /// <exception cref="MlflowException">The URI is not a database URI, or its driver is not referenced by the application.</exception>
    public SqlConnectionSource(string databaseUri, DbProviderFactory? providerFactory = null, ILoggerFactory? loggerFactory = null)
    {
        _database = new SqlDatabase(databaseUri, providerFactory, loggerFactory);
    }

    /// <summary>The URI with any password replaced by <c>***</c>, for messages and logs.</summary>
    public string RedactedUri => _database.RedactedUri;

    /// <summary>Whether the database is PostgreSQL (else SQLite): what DDL to write.</summary>
    public bool IsPostgreSql => _database.Dialect is Postgres.PostgresDialect;

    /// <summary>
    /// Runs writes in one transaction as the SQL stores do: committed at the end, rolled back on any failure, retried whole
    /// (up to 5 attempts, backing off) while the database is busy; in one process, writes to one SQLite file take turns.
    /// </summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="work">The statements, given the open connection and its transaction; run again on a retry.</param>
    /// <param name="cancellationToken">Cancels the work and any wait before a retry.</param>
    /// <returns>What the work returned.</returns>
    /// <exception cref="MlflowException">The database stayed busy (TEMPORARILY_UNAVAILABLE) or refused a statement (BAD_REQUEST).</exception>
    public Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _database.InRawTransactionAsync(work, cancellationToken);
    }

    /// <summary>
    /// Runs reads on one connection, retried as <see cref="InTransactionAsync{T}"/> is, without a transaction and without
    /// waiting for this process's writes to a SQLite file to take their turn: for lookups made on every request.
    /// </summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="work">The queries, given the open connection (each statement its own transaction); run again on a retry.</param>
    /// <param name="cancellationToken">Cancels the work and any wait before a retry.</param>
    /// <returns>What the work returned.</returns>
    /// <exception cref="MlflowException">The database stayed busy (TEMPORARILY_UNAVAILABLE) or refused a query (BAD_REQUEST).</exception>
    public Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _database.RawReadAsync(work, cancellationToken);
    }

    /// <summary>Whether a driver error is a unique or primary key violation.</summary>
    /// <param name="error">The driver's error.</param>
    /// <returns>True for a unique or primary key violation.</returns>
    public bool IsUniqueViolation(DbException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return _database.Dialect.IsUniqueViolation(error);
    }
}
