using System.Data.Common;
using System.Globalization;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Search;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.Sql;

public sealed partial class SqlModelRegistryStore
{
    /// <inheritdoc />
    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, IReadOnlyList<RegisteredModelTag>? tags = null, string? description = null, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        foreach (var tag in tags ?? [])
        {
            ArgumentNullException.ThrowIfNull(tag, nameof(tags));
            RegistryValidation.ValidateTag(tag.Key, tag.Value, "Registered model tag");
        }

        return await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var exists = await QueryAsync(connection, transaction, "SELECT 1 FROM registered_models WHERE name = @name", _ => true, cancellationToken, ("@name", name)).ConfigureAwait(false);
                if (exists.Count > 0)
                {
                    throw MlflowException.AlreadyExists($"Registered Model (name={name}) already exists.");
                }

                var now = Now();
                try
                {
                    await ExecuteAsync(connection, transaction, "INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (@name, @now, @now, @description)", cancellationToken, ("@name", name), ("@now", now), ("@description", description)).ConfigureAwait(false);
                }
                catch (DbException error) when (_database.Dialect.IsUniqueViolation(error))
                {
                    throw MlflowException.AlreadyExists($"Registered Model (name={name}) already exists.");
                }

                foreach (var tag in (tags ?? []).DistinctBy(t => t.Key, StringComparer.Ordinal))
                {
                    await UpsertModelTagAsync(connection, transaction, name, tag, cancellationToken).ConfigureAwait(false);
                }

                return await LoadModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        return await _database.ReadAsync(connection => LoadModelAsync(connection, null, name, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        RegistryValidation.ValidateModelName(newName, "New registered model name");
        return await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                var taken = await QueryAsync(connection, transaction, "SELECT 1 FROM registered_models WHERE name = @name", _ => true, cancellationToken, ("@name", newName)).ConfigureAwait(false);
                if (taken.Count > 0)
                {
                    throw MlflowException.AlreadyExists($"Registered Model (name={newName}) already exists.");
                }

                // Versions, tags and aliases follow through MLflow's ON UPDATE CASCADE foreign keys.
                await ExecuteAsync(connection, transaction, "UPDATE registered_models SET name = @new, last_updated_time = @now WHERE name = @name", cancellationToken, ("@new", newName), ("@now", Now()), ("@name", name)).ConfigureAwait(false);
                return await LoadModelAsync(connection, transaction, newName, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        return await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, "UPDATE registered_models SET description = @description, last_updated_time = @now WHERE name = @name", cancellationToken, ("@description", description), ("@now", Now()), ("@name", name)).ConfigureAwait(false);
                return await LoadModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                foreach (var table in ModelTables)
                {
                    await ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE name = @name", cancellationToken, ("@name", name)).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PagedList<RegisteredModel>> SearchRegisteredModelsAsync(SearchRegisteredModelsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = RegisteredModelSearchQuery.Parse(request.Filter, request.OrderBy);
        SearchPageToken.ValidateMaxResults(request.MaxResults, SearchRegisteredModelsRequest.MaxResultsLimit);
        var offset = SearchPageToken.Decode(request.PageToken);
        var sql = SqlRegistrySearch.Models(query, _database.Dialect, request.MaxResults, offset);
        return await _database.ReadAsync(
            async connection =>
            {
                var (names, next) = await ReadPageAsync(connection, sql, offset, request.MaxResults, r => r.GetString(0), cancellationToken).ConfigureAwait(false);
                var models = (await LoadModelsAsync(connection, null, names, cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.Name, StringComparer.Ordinal);
                // A model deleted between the two statements is left out of the page.
                return new PagedList<RegisteredModel>(names.Where(models.ContainsKey).Select(n => models[n]).ToArray(), next);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetRegisteredModelTagAsync(string name, RegisteredModelTag tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        RegistryValidation.ValidateModelName(name);
        RegistryValidation.ValidateTag(tag.Key, tag.Value, "Registered model tag");
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                await UpsertModelTagAsync(connection, transaction, name, tag, cancellationToken).ConfigureAwait(false);
                await TouchModelAsync(connection, transaction, name, Now(), cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        TrackingValidation.ValidateKey(key, "Registered model tag");
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                if (await ExecuteAsync(connection, transaction, "DELETE FROM registered_model_tags WHERE name = @name AND \"key\" = @key", cancellationToken, ("@name", name), ("@key", key)).ConfigureAwait(false) > 0)
                {
                    await TouchModelAsync(connection, transaction, name, Now(), cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetRegisteredModelAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        RegistryValidation.ValidateAlias(alias);
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                await RequireLiveVersionAsync(connection, transaction, name, version, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, "INSERT INTO registered_model_aliases (alias, version, name) VALUES (@alias, @version, @name) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version", cancellationToken, ("@alias", alias), ("@version", version), ("@name", name)).ConfigureAwait(false);
                await TouchModelAsync(connection, transaction, name, Now(), cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteRegisteredModelAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        RegistryValidation.ValidateAlias(alias);
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                if (await ExecuteAsync(connection, transaction, "DELETE FROM registered_model_aliases WHERE name = @name AND alias = @alias", cancellationToken, ("@name", name), ("@alias", alias)).ConfigureAwait(false) > 0)
                {
                    await TouchModelAsync(connection, transaction, name, Now(), cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        RegistryValidation.ValidateAlias(alias);
        return await _database.ReadAsync(
            async connection =>
            {
                await RequireModelAsync(connection, null, name, cancellationToken).ConfigureAwait(false);
                var aliases = await QueryAsync(connection, null, "SELECT alias, version FROM registered_model_aliases WHERE name = @name ORDER BY alias", r => new RegisteredModelAlias(r.GetString(0), (int)Long(r, 1)), cancellationToken, ("@name", name)).ConfigureAwait(false);
                var match = aliases.FirstOrDefault(a => a.Alias == alias)
                    ?? throw MlflowException.InvalidParameter($"Registered model alias {alias} not found (model '{name}' has {(aliases.Count == 0 ? "no aliases" : "the aliases " + string.Join(", ", aliases.Select(a => a.Alias)))}).");
                return await LoadVersionAsync(connection, null, name, match.Version, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<ModelVersionStage>? stages = null, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        var wanted = stages is null || stages.Count == 0 ? ModelVersionStages.All : stages;
        var model = await _database.ReadAsync(connection => LoadModelAsync(connection, null, name, cancellationToken), cancellationToken).ConfigureAwait(false);
        return wanted.Distinct().SelectMany(stage => model.LatestVersions.Where(v => v.CurrentStage == stage)).ToArray();
    }

    /// <inheritdoc />
    public async Task<ModelVersion> CreateModelVersionAsync(CreateModelVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Name;
        RegistryValidation.ValidateModelName(name);
        RegistryValidation.ValidateNewVersion(request);

        var storageLocation = request.Source;
        if (ModelUri.IsModelsUri(request.Source))
        {
            storageLocation = await ModelUri.ResolveSourceDownloadUriAsync(this, request.Source, cancellationToken).ConfigureAwait(false);
        }

        return await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var modelUpdated = await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                var highest = await QueryAsync(connection, transaction, "SELECT MAX(version) FROM model_versions WHERE name = @name", r => Long(r, 0), cancellationToken, ("@name", name)).ConfigureAwait(false);
                var version = checked((int)highest[0] + 1);
                var now = Now();
                await ExecuteAsync(
                    connection,
                    transaction,
                    $"INSERT INTO model_versions ({VersionColumns}) VALUES (@name, @version, @now, @now, @description, NULL, 'None', @source, @run, 'READY', NULL, @link, @storage)",
                    cancellationToken,
                    ("@name", name),
                    ("@version", version),
                    ("@now", now),
                    ("@description", request.Description),
                    ("@source", request.Source),
                    ("@run", request.RunId),
                    ("@link", request.RunLink),
                    ("@storage", storageLocation)).ConfigureAwait(false);
                foreach (var tag in request.Tags.DistinctBy(t => t.Key, StringComparer.Ordinal))
                {
                    await UpsertVersionTagAsync(connection, transaction, name, version, tag, cancellationToken).ConfigureAwait(false);
                }

                await TouchModelAsync(connection, transaction, name, Math.Max(now, modelUpdated), cancellationToken).ConfigureAwait(false);
                return await LoadVersionAsync(connection, transaction, name, version, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        return await _database.ReadAsync(
            async connection =>
            {
                await RequireModelAsync(connection, null, name, cancellationToken).ConfigureAwait(false);
                return await LoadVersionAsync(connection, null, name, version, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> UpdateModelVersionAsync(string name, int version, string? description, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        return await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                var row = await RequireLiveVersionAsync(connection, transaction, name, version, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, "UPDATE model_versions SET description = @description, last_updated_time = @now WHERE name = @name AND version = @version", cancellationToken, ("@description", description), ("@now", Math.Max(Now(), row.Updated)), ("@name", name), ("@version", version)).ConfigureAwait(false);
                return await LoadVersionAsync(connection, transaction, name, version, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteModelVersionAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var modelUpdated = await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                var row = await RequireLiveVersionAsync(connection, transaction, name, version, cancellationToken).ConfigureAwait(false);
                var now = Now();

                // As MLflow: the row stays (its number is never reused), hidden by the stage, its references redacted.
                await ExecuteAsync(
                    connection,
                    transaction,
                    "UPDATE model_versions SET current_stage = @stage, last_updated_time = @now, description = NULL, user_id = NULL, source = 'REDACTED-SOURCE-PATH', run_id = 'REDACTED-RUN-ID', run_link = 'REDACTED-RUN-LINK', status_message = NULL WHERE name = @name AND version = @version",
                    cancellationToken,
                    ("@stage", DeletedStage),
                    ("@now", Math.Max(now, row.Updated)),
                    ("@name", name),
                    ("@version", version)).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, "DELETE FROM registered_model_aliases WHERE name = @name AND version = @version", cancellationToken, ("@name", name), ("@version", version)).ConfigureAwait(false);
                await TouchModelAsync(connection, transaction, name, Math.Max(now, modelUpdated), cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PagedList<ModelVersion>> SearchModelVersionsAsync(SearchModelVersionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = ModelVersionSearchQuery.Parse(request.Filter, request.OrderBy);
        SearchPageToken.ValidateMaxResults(request.MaxResults, SearchModelVersionsRequest.MaxResultsLimit);
        var offset = SearchPageToken.Decode(request.PageToken);
        var sql = SqlRegistrySearch.Versions(query, _database.Dialect, DeletedStage, request.MaxResults, offset);
        return await _database.ReadAsync(
            async connection =>
            {
                var (keys, next) = await ReadPageAsync(connection, sql, offset, request.MaxResults, r => (Name: r.GetString(0), Version: (int)Long(r, 1)), cancellationToken).ConfigureAwait(false);
                var versions = await LoadVersionsAsync(connection, keys, cancellationToken).ConfigureAwait(false);
                return new PagedList<ModelVersion>(versions, next);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> TransitionModelVersionStageAsync(string name, int version, ModelVersionStage stage, bool archiveExistingVersions, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        var target = stage.ToWireName();
        if (archiveExistingVersions && stage is not (ModelVersionStage.Staging or ModelVersionStage.Production))
        {
            throw MlflowException.InvalidParameter(
                $"Model version transition cannot archive existing model versions because '{target}' is not an active stage. Valid stages are Staging and Production.");
        }

        return await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var modelUpdated = await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                var row = await RequireLiveVersionAsync(connection, transaction, name, version, cancellationToken).ConfigureAwait(false);
                var now = Math.Max(Now(), modelUpdated);
                if (archiveExistingVersions)
                {
                    await ExecuteAsync(connection, transaction, "UPDATE model_versions SET current_stage = 'Archived', last_updated_time = CASE WHEN last_updated_time > @now THEN last_updated_time ELSE @now END WHERE name = @name AND version != @version AND current_stage = @stage", cancellationToken, ("@now", now), ("@name", name), ("@version", version), ("@stage", target)).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, transaction, "UPDATE model_versions SET current_stage = @stage, last_updated_time = @now WHERE name = @name AND version = @version", cancellationToken, ("@stage", target), ("@now", Math.Max(now, row.Updated)), ("@name", name), ("@version", version)).ConfigureAwait(false);
                await TouchModelAsync(connection, transaction, name, now, cancellationToken).ConfigureAwait(false);
                return await LoadVersionAsync(connection, transaction, name, version, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetModelVersionTagAsync(string name, int version, ModelVersionTag tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        RegistryValidation.ValidateModelName(name);
        RegistryValidation.ValidateTag(tag.Key, tag.Value, "Model version tag");
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                await RequireLiveVersionAsync(connection, transaction, name, version, cancellationToken).ConfigureAwait(false);
                await UpsertVersionTagAsync(connection, transaction, name, version, tag, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteModelVersionTagAsync(string name, int version, string key, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        TrackingValidation.ValidateKey(key, "Model version tag");
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await RequireModelAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
                await RequireLiveVersionAsync(connection, transaction, name, version, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, "DELETE FROM model_version_tags WHERE name = @name AND version = @version AND \"key\" = @key", cancellationToken, ("@name", name), ("@version", version), ("@key", key)).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> GetModelVersionDownloadUriAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateModelName(name);
        return await _database.ReadAsync(
            async connection =>
            {
                await RequireModelAsync(connection, null, name, cancellationToken).ConfigureAwait(false);
                var row = await RequireLiveVersionAsync(connection, null, name, version, cancellationToken).ConfigureAwait(false);
                return string.IsNullOrEmpty(row.StorageLocation) ? row.Source : row.StorageLocation;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static Task<int> UpsertModelTagAsync(DbConnection connection, DbTransaction transaction, string name, RegisteredModelTag tag, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "INSERT INTO registered_model_tags (\"key\", value, name) VALUES (@key, @value, @name) ON CONFLICT (\"key\", name) DO UPDATE SET value = excluded.value", cancellationToken, ("@key", tag.Key), ("@value", tag.Value), ("@name", name));

    private static Task<int> UpsertVersionTagAsync(DbConnection connection, DbTransaction transaction, string name, int version, ModelVersionTag tag, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "INSERT INTO model_version_tags (\"key\", value, name, version) VALUES (@key, @value, @name, @version) ON CONFLICT (\"key\", name, version) DO UPDATE SET value = excluded.value", cancellationToken, ("@key", tag.Key), ("@value", tag.Value), ("@name", name), ("@version", version));
}
