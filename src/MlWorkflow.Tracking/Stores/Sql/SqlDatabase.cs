using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>
/// One database in MLflow's schema: opens connections through the driver the URI names, creates MLflow's schema in an
/// empty database, refuses another schema revision, and runs each store operation as one transaction.
/// </summary>
internal sealed partial class SqlDatabase
{
    /// <summary>The alembic revision MLflow 2.17's migrations end at.</summary>
    public const string SchemaRevision = "f5a4f2784254";

    /// <summary>
    /// The columns of the 18 tables of MLflow 2.17's schema (besides <c>alembic_version</c>) that the stores read or write:
    /// a database missing one is refused on open, not on the first call that needs it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Columns = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["experiments"] = ["experiment_id", "name", "artifact_location", "lifecycle_stage", "creation_time", "last_update_time"],
        ["experiment_tags"] = ["key", "value", "experiment_id"],
        ["runs"] = ["run_uuid", "name", "source_type", "source_name", "entry_point_name", "user_id", "status", "start_time", "end_time", "source_version", "lifecycle_stage", "artifact_uri", "experiment_id", "deleted_time"],
        ["tags"] = ["key", "value", "run_uuid"],
        ["params"] = ["key", "value", "run_uuid"],
        ["metrics"] = ["key", "value", "timestamp", "run_uuid", "step", "is_nan"],
        ["latest_metrics"] = ["key", "value", "timestamp", "step", "is_nan", "run_uuid"],
        ["datasets"] = ["dataset_uuid", "experiment_id", "name", "digest", "dataset_source_type", "dataset_source", "dataset_schema", "dataset_profile"],
        ["inputs"] = ["input_uuid", "source_type", "source_id", "destination_type", "destination_id"],
        ["input_tags"] = ["input_uuid", "name", "value"],
        ["registered_models"] = ["name", "creation_time", "last_updated_time", "description"],
        ["registered_model_tags"] = ["key", "value", "name"],
        ["model_versions"] = ["name", "version", "creation_time", "last_updated_time", "description", "user_id", "current_stage", "source", "run_id", "status", "status_message", "run_link", "storage_location"],
        ["model_version_tags"] = ["key", "value", "name", "version"],
        ["registered_model_aliases"] = ["alias", "version", "name"],
        ["trace_info"] = ["request_id", "experiment_id", "timestamp_ms", "execution_time_ms", "status"],
        ["trace_tags"] = ["key", "value", "request_id"],
        ["trace_request_metadata"] = ["key", "value", "request_id"],
    };

    /// <summary>The 18 tables of MLflow 2.17's schema, besides <c>alembic_version</c>.</summary>
    public static readonly IReadOnlySet<string> Tables = Columns.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Every column of <see cref="Columns"/> as <c>table.column</c> (95 in all).</summary>
    public static readonly IReadOnlyList<string> QualifiedColumns = [.. Columns.SelectMany(t => t.Value.Select(c => t.Key + "." + c))];

    private const int MaxAttempts = 5;
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriteGates = new(StringComparer.Ordinal);
    private readonly object _initializeLock = new();
    private Task? _initialized;

    private readonly DbProviderFactory _factory;
    private readonly ILogger _logger;

    public SqlDatabase(string uri, DbProviderFactory? factory, ILoggerFactory? loggerFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        Dialect = SqlDialect.ForUri(uri)
            ?? throw MlflowException.InvalidParameter($"'{SecretRedactor.RedactUri(Excerpt(uri))}' is not a database URI: expected sqlite:///path/to/mlflow.db or postgresql://user:password@host:port/database.");
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            throw MlflowException.InvalidParameter($"Database URI '{SecretRedactor.RedactUri(Excerpt(uri))}' is malformed: expected sqlite:///path/to/mlflow.db or postgresql://user:password@host:port/database.");
        }

        _factory = factory ?? LoadDriver(Dialect);
        ConnectionString = Dialect.ConnectionString(_factory, parsed, uri);
        RedactedUri = SecretRedactor.RedactUri(uri);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("MlWorkflow.Tracking.Stores.Sql");
    }

    public SqlDialect Dialect { get; }

    /// <summary>The database URI with any password replaced by <c>***</c>.</summary>
    public string RedactedUri { get; }

    public string ConnectionString { get; }

    /// <summary>Opens a connection with MLflow's session settings, the schema checked (created in an empty database) once per process.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Task initialization;
        lock (_initializeLock)
        {
            // A failed check is forgotten, so that the next call checks again (a database fixed in the meantime opens).
            if (_initialized is null || _initialized.IsFaulted || _initialized.IsCanceled)
            {
                _initialized = InitializeAsync(CancellationToken.None);
            }

            initialization = _initialized;
        }

        await initialization.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await OpenRawAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a connection with MLflow's session settings, without checking or creating MLflow's schema.</summary>
    public async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = _factory.CreateConnection() ?? throw new MlflowException(ErrorCode.InternalError, $"The {Dialect.DriverPackage} driver made no connection.");
        connection.ConnectionString = ConnectionString;
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (Dialect.SessionSql is { } session)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = session;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch (DbException error)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new MlflowException(ErrorCode.TemporarilyUnavailable, $"Cannot open the database {RedactedUri}: {Excerpt(error.Message)}", error);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction: committed at the end, rolled back on any failure, retried whole when the database was busy.</summary>
    public Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WithWriteGateAsync(() => RetryAsync(OpenAsync, InTransaction(work, cancellationToken), cancellationToken), cancellationToken);

    /// <summary>The same transaction on tables beside MLflow's: its schema is neither checked nor created.</summary>
    public Task<T> InRawTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WithWriteGateAsync(() => RetryAsync(OpenRawAsync, InTransaction(work, cancellationToken), cancellationToken), cancellationToken);

    /// <summary>
    /// Reads on tables beside MLflow's, retried whole when the database was busy, with neither the in-process write gate nor a
    /// transaction (SQLite's driver begins IMMEDIATE, a write lock): lookups made on every request never wait behind writes.
    /// </summary>
    public Task<T> RawReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken) =>
        RetryAsync(OpenRawAsync, work, cancellationToken);

    /// <summary>Runs <paramref name="write"/> alone among this process's writes to the database where the dialect needs it (SQLite's single writer).</summary>
    private async Task<T> WithWriteGateAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        var gate = Dialect.SerializeWritesInProcess ? WriteGates.GetOrAdd(ConnectionString, _ => new SemaphoreSlim(1, 1)) : null;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await write().ConfigureAwait(false);
        }
        finally
        {
            gate?.Release();
        }
    }

    private static Func<DbConnection, Task<T>> InTransaction<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        async connection =>
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await work(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        };

    /// <summary>Runs <paramref name="work"/> on a fresh connection, again (backing off) while the database is busy, up to <see cref="MaxAttempts"/> times.</summary>
    private async Task<T> RetryAsync<T>(Func<CancellationToken, Task<DbConnection>> open, Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var connection = await open(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                try
                {
                    return await work(connection).ConfigureAwait(false);
                }
                catch (DbException error) when (Dialect.IsTransient(error) && attempt < MaxAttempts)
                {
                    LogBusy(_logger, RedactedUri, attempt + 1, error);
                    await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * attempt), cancellationToken).ConfigureAwait(false);
                }
                catch (DbException error)
                {
                    throw Translate(error);
                }
            }
        }
    }

    /// <summary>Runs read-only work on one connection (no explicit transaction).</summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                return await work(connection).ConfigureAwait(false);
            }
            catch (DbException error)
            {
                throw Translate(error);
            }
        }
    }

    /// <summary>MLflow's mapping (mlflow-protocol 6.1): a busy or unreachable database is TEMPORARILY_UNAVAILABLE, any other database error BAD_REQUEST.</summary>
    public MlflowException Translate(DbException error) =>
        Dialect.IsTransient(error)
            ? new MlflowException(ErrorCode.TemporarilyUnavailable, $"The database {RedactedUri} is busy: {Excerpt(error.Message)}", error)
            : new MlflowException(ErrorCode.BadRequest, $"The database {RedactedUri} refused the operation: {Excerpt(error.Message)}", error);

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
            if (!await IsReadyAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                await CheckOrCreateSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception error)
        {
            if (error is DbException db)
            {
                LogInitializationFailed(_logger, RedactedUri, db);
                throw Dialect.IsUniqueViolation(db)
                    ? new MlflowException(ErrorCode.TemporarilyUnavailable, $"Another process created MLflow's schema in {RedactedUri} at the same time; try again.", db)
                    : Translate(db);
            }

            throw;
        }
    }

    /// <summary>The full check in a write transaction: creates MLflow's schema in an empty database, refuses another revision, missing tables or columns, adds experiment 0.</summary>
    /// <remarks>A method of its own: a new process opening a database in use compiles only the quick check.</remarks>
    private async Task CheckOrCreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (Dialect.InitializationLockSql is { } lockSql)
        {
            await using var gate = Command(connection, transaction, lockSql);
            await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var tables = new HashSet<string>(StringComparer.Ordinal);
        await using (var list = Command(connection, transaction, Dialect.ListTablesSql))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var mlflowTables = tables.Where(t => !t.StartsWith("alembic_", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        if (mlflowTables.Count == 0 && !tables.Contains("alembic_version"))
        {
            LogCreatingSchema(_logger, SchemaRevision, RedactedUri);
            await using var create = Command(connection, transaction, ReadSchemaScript());
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            string? revision = null;
            if (tables.Contains("alembic_version"))
            {
                await using var read = Command(connection, transaction, "SELECT version_num FROM alembic_version");
                revision = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            }

            if (revision != SchemaRevision)
            {
                throw new MlflowException(
                    ErrorCode.InternalError,
                    $"The database {RedactedUri} has MLflow schema revision '{revision ?? "(none)"}', but this store reads and writes revision '{SchemaRevision}' (MLflow 2.17). It was not changed: migrate it with MLflow ('mlflow db upgrade <database_uri>' after a backup) or point to another database.");
            }

            var missing = Tables.Where(t => !mlflowTables.Contains(t)).ToList();
            if (missing.Count > 0)
            {
                throw new MlflowException(ErrorCode.InternalError, $"The database {RedactedUri} is at revision '{SchemaRevision}' but lacks MLflow's tables {string.Join(", ", missing)}. It was not changed.");
            }

            var columns = new HashSet<string>(StringComparer.Ordinal);
            await using (var list = Command(connection, transaction, Dialect.ListColumnsSql))
            await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    columns.Add(reader.GetString(0) + "." + reader.GetString(1));
                }
            }

            var missingColumns = QualifiedColumns.Where(c => !columns.Contains(c)).ToList();
            if (missingColumns.Count > 0)
            {
                throw new MlflowException(ErrorCode.InternalError, $"The database {RedactedUri} is at revision '{SchemaRevision}' but lacks MLflow's columns {string.Join(", ", missingColumns)}. It was not changed: restore it from a backup or point to another database.");
            }
        }

        // As MLflow (mlflow-protocol 6.2): with no experiment at all, experiment 0 'Default' is created with an explicit id.
        await using (var count = Command(connection, transaction, "SELECT COUNT(*) FROM experiments"))
        {
            if (Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                await using var insert = Command(connection, transaction, "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (0, 'Default', NULL, 'active', @now, @now)");
                Add(insert, "@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (Dialect.OpenDatabaseSql is { } settings)
        {
            await using var apply = Command(connection, null, settings);
            await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The quick check of a database in use (one statement, no write lock): MLflow's revision, all its tables' columns, an experiment,
    /// the settings applied. False sends the caller to the full check, which explains what is wrong or creates the schema.
    /// </summary>
    private async Task<bool> IsReadyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (Dialect.SchemaCheckSql is not { } sql)
        {
            return false;
        }

        try
        {
            await using var command = Command(connection, null, sql);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                && !reader.IsDBNull(0) && reader.GetString(0) == SchemaRevision
                && reader.GetInt64(1) == QualifiedColumns.Count
                && reader.GetInt64(2) == 1
                && reader.GetInt64(3) == 1;
        }
        catch (DbException)
        {
            // A table missing (an empty database, another schema): the full check says what and why.
            return false;
        }
    }

    private string ReadSchemaScript()
    {
        using var stream = typeof(SqlDatabase).Assembly.GetManifestResourceStream(Dialect.SchemaResource)
            ?? throw new MlflowException(ErrorCode.InternalError, $"The schema script {Dialect.SchemaResource} is missing from the package.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A command in the transaction, with its text.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Adds a named parameter (null as DBNull).</summary>
    public static DbParameter Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Loads the driver the application references, by assembly name, into the core's own load context.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The driver is an optional reference found by name; an application that trims keeps it by referencing it.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Same: the factory's public static Instance field is read by name.")]
    private static DbProviderFactory LoadDriver(SqlDialect dialect)
    {
        try
        {
            var context = AssemblyLoadContext.GetLoadContext(typeof(SqlDatabase).Assembly) ?? AssemblyLoadContext.Default;
            var assembly = context.LoadFromAssemblyName(new AssemblyName(dialect.DriverAssembly));
            var type = assembly.GetType(dialect.DriverFactoryType, throwOnError: true)!;
            return (DbProviderFactory)(type.GetField("Instance", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
                ?? throw new MissingFieldException(dialect.DriverFactoryType, "Instance"));
        }
        catch (Exception error) when (error is FileNotFoundException or FileLoadException or TypeLoadException or MissingFieldException or InvalidCastException)
        {
            throw new MlflowException(
                ErrorCode.NotImplemented,
                $"A {dialect.Scheme}: store needs the {dialect.DriverPackage} driver: add it to the application (dotnet add package {dialect.DriverPackage}).",
                error);
        }
    }

    private static string Excerpt(string text) => Validation.TrackingValidation.Printable(text.Length > 200 ? text[..200] + "…" : text);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database {Database} was busy; retrying the transaction (attempt {Attempt}).")]
    private static partial void LogBusy(ILogger logger, string database, int attempt, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating MLflow's schema (revision {Revision}) in the empty database {Database}.")]
    private static partial void LogCreatingSchema(ILogger logger, string revision, string database);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot initialize the database {Database}.")]
    private static partial void LogInitializationFailed(ILogger logger, string database, Exception error);
}
