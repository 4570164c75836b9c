using System.Data.Common;
using System.Globalization;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>
/// MLflow's SQL model registry: registered models, versions, stages, tags and aliases in MLflow 2.17's own schema, on SQLite
/// (<c>sqlite:///path/to/mlflow.db</c>) or PostgreSQL (<c>postgresql://user:password@host:port/database</c>), beside the
/// tracking tables of <see cref="SqlTrackingStore"/>.
/// </summary>
/// <remarks>
/// Each call is one transaction. A deleted version keeps its row in stage <c>Deleted_Internal</c> with its references redacted, as
/// MLflow does, so its number is never reused. Registry searches read the models (a registry holds few) and filter them in memory.
/// </remarks>
public sealed partial class SqlModelRegistryStore : IModelRegistryStore
{
    private const string DeletedStage = "Deleted_Internal";
    private const string VersionColumns = "name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, status, status_message, run_link, storage_location";
    // A model's rows, children first (the foreign keys have no ON DELETE CASCADE).
    private static readonly string[] ModelTables = ["model_version_tags", "registered_model_aliases", "model_versions", "registered_model_tags", "registered_models"];
    private readonly SqlDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Opens a registry on a database URI. Nothing is read until the first call, which creates the schema in an empty database.</summary>
    /// <param name="databaseUri"><c>sqlite:///relative/path.db</c>, <c>sqlite:////absolute/path.db</c> or <c>postgresql://user:password@host:port/database</c>.</param>
    /// <param name="options">Clock, driver and logging; null for the defaults.</param>
    /// <exception cref="MlflowException">
    /// <see cref="ErrorCode.InvalidParameterValue"/> for a URI that names no database; <see cref="ErrorCode.NotImplemented"/> when the
    /// application does not reference the driver.
    /// </exception>
    public SqlModelRegistryStore(string databaseUri, SqlStoreOptions? options = null)
    {
        options ??= new SqlStoreOptions();
        _database = new SqlDatabase(databaseUri, options.ProviderFactory, options.LoggerFactory);
        _time = options.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>The database URI, with any password replaced by <c>***</c>.</summary>
    public string DatabaseUri => _database.RedactedUri;

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql) => SqlDatabase.Command(connection, transaction, sql);

    private static void Add(DbCommand command, string name, object? value) => SqlDatabase.Add(command, name, value);

    private static MlflowException ModelNotFound(string name) =>
        MlflowException.NotFound($"Registered Model with name={name} not found.");

    private static MlflowException VersionNotFound(string name, int version) =>
        MlflowException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Model Version (name={name}, version={version}) not found."));

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql);
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<T>> QueryAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> row, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql);
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(row(reader));
        }

        return result;
    }

    private static long Long(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static string? NullableText(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A stored version row (columns <see cref="VersionColumns"/>).</summary>
    private sealed record VersionRow(string Name, int Version, long Created, long Updated, string? Description, string? UserId, string Stage, string Source, string? RunId, string Status, string? StatusMessage, string? RunLink, string? StorageLocation)
    {
        public static VersionRow Read(DbDataReader reader) => new(
            reader.GetString(0),
            (int)Long(reader, 1),
            Long(reader, 2),
            Long(reader, 3),
            NullableText(reader, 4),
            NullableText(reader, 5),
            NullableText(reader, 6) ?? "None",
            NullableText(reader, 7) ?? string.Empty,
            NullableText(reader, 8),
            NullableText(reader, 9) ?? "READY",
            NullableText(reader, 10),
            NullableText(reader, 11),
            NullableText(reader, 12));

        public bool IsDeleted => Stage == DeletedStage;

        public ModelVersion ToEntity(IReadOnlyList<ModelVersionTag> tags, IReadOnlyList<string> aliases) => new(
            Name,
            Version,
            Created,
            Updated,
            ModelVersionStages.TryParse(Stage, out var stage) ? stage : ModelVersionStage.None,
            Description,
            Source,
            RunId,
            ModelVersionStages.ParseStatus(Status),
            StatusMessage,
            tags,
            RunLink,
            aliases,
            UserId);
    }

    /// <summary>Reads models (by name) with their tags, aliases and latest version per stage, in no set order.</summary>
    private static async Task<List<RegisteredModel>> LoadModelsAsync(DbConnection connection, DbTransaction? transaction, List<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return [];
        }

        var (filter, parameters) = NameFilter(names);
        var models = await QueryAsync(connection, transaction, $"SELECT name, creation_time, last_updated_time, description FROM registered_models{filter}", r => (Name: r.GetString(0), Created: Long(r, 1), Updated: Long(r, 2), Description: NullableText(r, 3)), cancellationToken, parameters).ConfigureAwait(false);
        if (models.Count == 0)
        {
            return [];
        }

        var tags = (await QueryAsync(connection, transaction, $"SELECT name, \"key\", value FROM registered_model_tags{filter} ORDER BY name, \"key\"", r => (Name: r.GetString(0), Tag: new RegisteredModelTag(r.GetString(1), NullableText(r, 2) ?? string.Empty)), cancellationToken, parameters).ConfigureAwait(false))
            .ToLookup(t => t.Name, t => t.Tag, StringComparer.Ordinal);
        var aliases = (await QueryAsync(connection, transaction, $"SELECT name, alias, version FROM registered_model_aliases{filter} ORDER BY name, alias", r => (Name: r.GetString(0), Alias: new RegisteredModelAlias(r.GetString(1), (int)Long(r, 2))), cancellationToken, parameters).ConfigureAwait(false))
            .ToLookup(a => a.Name, a => a.Alias, StringComparer.Ordinal);
        var versions = (await QueryAsync(connection, transaction, $"SELECT {VersionColumns} FROM model_versions{filter} ORDER BY name, version", VersionRow.Read, cancellationToken, parameters).ConfigureAwait(false))
            .Where(v => !v.IsDeleted)
            .ToLookup(v => v.Name, StringComparer.Ordinal);
        var versionTags = await ReadVersionTagsAsync(connection, transaction, names, cancellationToken).ConfigureAwait(false);

        return models.Select(m =>
        {
            var modelAliases = aliases[m.Name].ToArray();
            var latest = ModelVersionStages.LatestPerStage(versions[m.Name], v => v.Stage, v => v.Version, ModelVersionStages.All)
                .Select(v => v.ToEntity(versionTags[(v.Name, v.Version)].ToArray(), modelAliases.Where(a => a.Version == v.Version).Select(a => a.Alias).ToArray()))
                .ToArray();
            return new RegisteredModel(m.Name, m.Created, m.Updated, m.Description, latest, tags[m.Name].ToArray(), modelAliases);
        }).ToList();
    }

    /// <summary><c> WHERE name IN (...)</c> over the given names, with its parameters.</summary>
    private static (string Filter, (string Name, object? Value)[] Parameters) NameFilter(IReadOnlyList<string> names) =>
        (" WHERE name IN (" + string.Join(", ", names.Select((_, i) => "@n" + i.ToString(CultureInfo.InvariantCulture))) + ")",
            names.Select((n, i) => ("@n" + i.ToString(CultureInfo.InvariantCulture), (object?)n)).ToArray());

    private static async Task<ILookup<(string Name, int Version), ModelVersionTag>> ReadVersionTagsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var (filter, parameters) = NameFilter(names);
        return (await QueryAsync(connection, transaction, $"SELECT name, version, \"key\", value FROM model_version_tags{filter} ORDER BY name, version, \"key\"", r => (Name: r.GetString(0), Version: (int)Long(r, 1), Tag: new ModelVersionTag(r.GetString(2), NullableText(r, 3) ?? string.Empty)), cancellationToken, parameters).ConfigureAwait(false))
            .ToLookup(t => (t.Name, t.Version), t => t.Tag);
    }

    private static async Task<RegisteredModel> LoadModelAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken) =>
        (await LoadModelsAsync(connection, transaction, [name], cancellationToken).ConfigureAwait(false)).FirstOrDefault() ?? throw ModelNotFound(name);

    private static async Task<long> RequireModelAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        var found = await QueryAsync(connection, transaction, "SELECT last_updated_time FROM registered_models WHERE name = @name", r => Long(r, 0), cancellationToken, ("@name", name)).ConfigureAwait(false);
        return found.Count == 0 ? throw ModelNotFound(name) : found[0];
    }

    private static async Task<VersionRow> RequireLiveVersionAsync(DbConnection connection, DbTransaction? transaction, string name, int version, CancellationToken cancellationToken)
    {
        var found = await QueryAsync(connection, transaction, $"SELECT {VersionColumns} FROM model_versions WHERE name = @name AND version = @version", VersionRow.Read, cancellationToken, ("@name", name), ("@version", version)).ConfigureAwait(false);
        return found.Count == 0 || found[0].IsDeleted ? throw VersionNotFound(name, version) : found[0];
    }

    private static async Task<ModelVersion> LoadVersionAsync(DbConnection connection, DbTransaction? transaction, string name, int version, CancellationToken cancellationToken)
    {
        var row = await RequireLiveVersionAsync(connection, transaction, name, version, cancellationToken).ConfigureAwait(false);
        var tags = await QueryAsync(connection, transaction, "SELECT \"key\", value FROM model_version_tags WHERE name = @name AND version = @version ORDER BY \"key\"", r => new ModelVersionTag(r.GetString(0), NullableText(r, 1) ?? string.Empty), cancellationToken, ("@name", name), ("@version", version)).ConfigureAwait(false);
        var aliases = await QueryAsync(connection, transaction, "SELECT alias FROM registered_model_aliases WHERE name = @name AND version = @version ORDER BY alias", r => r.GetString(0), cancellationToken, ("@name", name), ("@version", version)).ConfigureAwait(false);
        return row.ToEntity(tags, aliases);
    }

    private static Task<int> TouchModelAsync(DbConnection connection, DbTransaction transaction, string name, long now, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "UPDATE registered_models SET last_updated_time = @now WHERE name = @name", cancellationToken, ("@now", now), ("@name", name));

    /// <summary>The given versions (a search's page), each with its tags and aliases, in the order given.</summary>
    private static async Task<ModelVersion[]> LoadVersionsAsync(DbConnection connection, List<(string Name, int Version)> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var names = keys.Select(k => k.Name).Distinct(StringComparer.Ordinal).ToArray();
        var (filter, parameters) = NameFilter(names);
        var rows = (await QueryAsync(connection, null, $"SELECT {VersionColumns} FROM model_versions{filter}", VersionRow.Read, cancellationToken, parameters).ConfigureAwait(false))
            .ToDictionary(r => (r.Name, r.Version));
        var tags = await ReadVersionTagsAsync(connection, null, names, cancellationToken).ConfigureAwait(false);
        var aliases = (await QueryAsync(connection, null, $"SELECT name, alias, version FROM registered_model_aliases{filter} ORDER BY name, alias", r => (Name: r.GetString(0), Alias: r.GetString(1), Version: (int)Long(r, 2)), cancellationToken, parameters).ConfigureAwait(false))
            .ToLookup(a => (a.Name, a.Version), a => a.Alias);
        // A version deleted between the search and this read is left out.
        return keys.Where(k => rows.TryGetValue(k, out var row) && !row.IsDeleted).Select(k => rows[k].ToEntity(tags[k].ToArray(), aliases[k].ToArray())).ToArray();
    }

    /// <summary>Checks a search's page size as the file store does (1 to the limit).</summary>
    /// <summary>Runs a search's page query (from <paramref name="offset"/>); returns the rows of the page and the next page's token, null on the last.</summary>
    private static async Task<(List<T> Rows, string? NextPageToken)> ReadPageAsync<T>(DbConnection connection, SqlQuery query, int offset, int maxResults, Func<DbDataReader, T> row, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using (var command = Command(connection, null, query.Text))
        {
            query.Bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row(reader));
            }
        }

        return (rows, SearchPageToken.TrimToPage(rows, offset, maxResults));
    }
}
