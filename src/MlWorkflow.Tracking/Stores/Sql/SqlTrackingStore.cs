using System.Data.Common;
using System.Globalization;
using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>
/// MLflow's SQL tracking store: experiments, runs, params, metrics, tags and dataset inputs in MLflow 2.17's own schema
/// (alembic revision <c>f5a4f2784254</c>), on SQLite (<c>sqlite:///path/to/mlflow.db</c>) or PostgreSQL
/// (<c>postgresql://user:password@host:port/database</c>), so that MLflow's server and client share the database.
/// </summary>
/// <remarks>
/// <para>An empty database gets MLflow's schema; a database at another revision is refused, never altered. Each call is one
/// transaction (a log-batch too: params, metrics and tags land together or not at all); an exact duplicate metric point is
/// ignored, as MLflow's primary key makes it; several processes may share one database. Searches are translated to SQL.</para>
/// <para>Stored as MLflow stores them: NaN as 0 with <c>is_nan</c>, ±infinity as ±1.7976931348623157e308. Read back, those
/// two values are ±infinity again (MLflow's store returns the large finite number).</para>
/// <para>The driver is the application's reference: <c>dotnet add package Microsoft.Data.Sqlite</c> or <c>Npgsql</c>.</para>
/// </remarks>
public sealed partial class SqlTrackingStore : ITrackingStore, IMetricPointStore
{
    /// <summary>The alembic revision of MLflow's schema this store reads and writes (MLflow 2.17).</summary>
    public const string SchemaRevision = SqlDatabase.SchemaRevision;

    private const string RunNameTag = "mlflow.runName";
    private readonly SqlDatabase _database;

    /// <summary>The database, for the file store migration.</summary>
    internal SqlDatabase Database => _database;
    private readonly TimeProvider _time;

    /// <summary>Opens a store on a database URI. Nothing is read until the first call, which creates the schema in an empty database.</summary>
    /// <param name="databaseUri"><c>sqlite:///relative/path.db</c>, <c>sqlite:////absolute/path.db</c> or <c>postgresql://user:password@host:port/database</c>.</param>
    /// <param name="options">Artifact root, clock, driver and logging; null for the defaults.</param>
    /// <exception cref="MlflowException">
    /// <see cref="ErrorCode.InvalidParameterValue"/> for a URI that names no database; <see cref="ErrorCode.NotImplemented"/> when the
    /// application does not reference the driver.
    /// </exception>
    public SqlTrackingStore(string databaseUri, SqlStoreOptions? options = null)
    {
        options ??= new SqlStoreOptions();
        _database = new SqlDatabase(databaseUri, options.ProviderFactory, options.LoggerFactory);
        _time = options.TimeProvider ?? TimeProvider.System;
        ArtifactRootUri = ResolveRoot(options.DefaultArtifactRoot);
    }

    /// <summary>The database URI, with any password replaced by <c>***</c>.</summary>
    public string DatabaseUri => _database.RedactedUri;

    /// <summary>The root under which experiments created without an artifact location keep their artifacts (<c>&lt;root&gt;/&lt;experiment id&gt;</c>).</summary>
    public string ArtifactRootUri { get; }

    /// <summary>Whether a URI names a database this store opens (<c>sqlite:</c>, <c>postgresql:</c>, <c>postgresql+&lt;driver&gt;:</c>).</summary>
    /// <param name="uri">A tracking or registry URI.</param>
    /// <returns>True for a database URI.</returns>
    public static bool IsDatabaseUri(string? uri) => uri is not null && SqlDialect.ForUri(uri) is not null;

    private static string ResolveRoot(string? root)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            return FileUris.FromPath(Path.GetFullPath("mlruns"));
        }

        return root.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || !FileUris.HasScheme(root)
            ? FileUris.FromPath(FileUris.ToPath(root))
            : root.TrimEnd('/');
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql) => SqlDatabase.Command(connection, transaction, sql);

    private static void Add(DbCommand command, string name, object? value) => SqlDatabase.Add(command, name, value);

    /// <summary>Experiment ids are integers in MLflow's schema (64-bit on SQLite, where a migrated file store keeps its long ids): anything else names no experiment.</summary>
    private static long? ParseExperimentId(string experimentId) =>
        long.TryParse(experimentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? string.Empty : reader.GetString(ordinal);

    private static string? NullableText(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? NullableLong(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
