#pragma warning disable CA1859 // The copy is read and compared through the store contracts, on purpose: any two stores compare the same way.
using System.Data.Common;
using System.Globalization;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>
/// Copies MLflow's file store (<c>mlruns/</c>) into a database in MLflow's schema: experiments, runs, params, metric histories,
/// tags, dataset inputs and the model registry, with their ids and timestamps; then reads both back and compares them.
/// </summary>
public static class FileStoreMigration
{
    /// <summary>Copies a file store into an empty database (one holding at most the default experiment) and verifies the copy.</summary>
    /// <param name="fileStoreRoot">The file store's folder, such as <c>./mlruns</c>.</param>
    /// <param name="databaseUri">The target: <c>sqlite:///mlflow.db</c> or <c>postgresql://user:password@host:port/database</c>.</param>
    /// <param name="options">Driver and logging for the database; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the copy; what was copied stays.</param>
    /// <returns>What was copied.</returns>
    /// <exception cref="MlflowException">
    /// <see cref="ErrorCode.InvalidParameterValue"/> when the folder holds no file store or the database already holds experiments or
    /// runs; <see cref="ErrorCode.InternalError"/> when the copy read back differs from the source.
    /// </exception>
    public static async Task<FileStoreMigrationResult> MigrateAsync(string fileStoreRoot, string databaseUri, SqlStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileStoreRoot);
        if (!Directory.Exists(fileStoreRoot))
        {
            throw MlflowException.InvalidParameter($"'{Validation.TrackingValidation.Printable(fileStoreRoot)}' is not a folder: give the file store's root (such as ./mlruns).");
        }

        var source = new FileTrackingStore(fileStoreRoot);
        var sourceRegistry = new FileModelRegistryStore(fileStoreRoot);
        var target = new SqlTrackingStore(databaseUri, options);
        var targetRegistry = new SqlModelRegistryStore(databaseUri, options);
        var database = target.Database;

        var experiments = await AllExperimentsAsync(source, cancellationToken).ConfigureAwait(false);
        await database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var existing = Convert.ToInt64(await ScalarAsync(connection, transaction, "SELECT (SELECT COUNT(*) FROM experiments WHERE experiment_id != 0) + (SELECT COUNT(*) FROM runs) + (SELECT COUNT(*) FROM registered_models)", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                if (existing > 0)
                {
                    throw MlflowException.InvalidParameter($"The database {database.RedactedUri} already holds experiments, runs or models: migrate into an empty database.");
                }

                foreach (var experiment in experiments)
                {
                    var id = long.Parse(experiment.ExperimentId, CultureInfo.InvariantCulture);
                    if (id > database.Dialect.MaxExperimentId)
                    {
                        throw MlflowException.InvalidParameter($"Experiment id {experiment.ExperimentId} does not fit MLflow's {database.Dialect.Scheme} schema (at most {database.Dialect.MaxExperimentId}); migrate into SQLite, whose ids hold it.");
                    }

                    await ExecuteAsync(connection, transaction, "DELETE FROM experiments WHERE experiment_id = @id AND NOT EXISTS (SELECT 1 FROM runs WHERE experiment_id = @id)", cancellationToken, ("@id", (object)id)).ConfigureAwait(false);
                    await ExecuteAsync(
                        connection,
                        transaction,
                        "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (@id, @name, @location, @stage, @created, @updated)",
                        cancellationToken,
                        ("@id", id),
                        ("@name", experiment.Name),
                        ("@location", experiment.ArtifactLocation),
                        ("@stage", experiment.LifecycleStage == LifecycleStage.Active ? "active" : "deleted"),
                        ("@created", experiment.CreationTime),
                        ("@updated", experiment.LastUpdateTime)).ConfigureAwait(false);
                    foreach (var tag in experiment.Tags)
                    {
                        await ExecuteAsync(connection, transaction, "INSERT INTO experiment_tags (\"key\", value, experiment_id) VALUES (@key, @value, @id)", cancellationToken, ("@key", tag.Key), ("@value", tag.Value), ("@id", id)).ConfigureAwait(false);
                    }
                }

                if (database.Dialect.AfterExplicitExperimentIdsSql is { } sequence)
                {
                    await ScalarAsync(connection, transaction, sequence, cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);

        var runs = 0;
        long points = 0;
        foreach (var experiment in experiments)
        {
            foreach (var run in await AllRunsAsync(source, experiment.ExperimentId, cancellationToken).ConfigureAwait(false))
            {
                points += await CopyRunAsync(source, target, run, cancellationToken).ConfigureAwait(false);
                runs++;
            }
        }

        var (models, versions) = await CopyRegistryAsync(sourceRegistry, database, cancellationToken).ConfigureAwait(false);
        await VerifyAsync(source, target, sourceRegistry, targetRegistry, experiments, cancellationToken).ConfigureAwait(false);
        return new FileStoreMigrationResult(experiments.Count, runs, points, models, versions);
    }

    private static async Task<List<Experiment>> AllExperimentsAsync(ITrackingStore store, CancellationToken cancellationToken)
    {
        var all = new List<Experiment>();
        string? token = null;
        do
        {
            var page = await store.SearchExperimentsAsync(new SearchExperimentsRequest { ViewType = ViewType.All, PageToken = token, OrderBy = ["experiment_id ASC"] }, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);
        return all;
    }

    private static async Task<List<Run>> AllRunsAsync(ITrackingStore store, string experimentId, CancellationToken cancellationToken)
    {
        var all = new List<Run>();
        string? token = null;
        do
        {
            var page = await store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId], RunViewType = ViewType.All, PageToken = token, MaxResults = 1000 }, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);
        return all;
    }

    /// <summary>Copies one run in one transaction: its row, params, tags, every metric's whole history and its dataset inputs.</summary>
    private static async Task<long> CopyRunAsync(ITrackingStore source, SqlTrackingStore target, Run run, CancellationToken cancellationToken)
    {
        var histories = new List<Metric>();
        foreach (var key in run.Data.Metrics.Select(m => m.Key).Distinct(StringComparer.Ordinal))
        {
            histories.AddRange((await source.GetMetricHistoryAsync(run.Info.RunId, key, cancellationToken: cancellationToken).ConfigureAwait(false)).Items);
        }

        var info = run.Info;
        await target.Database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time) VALUES (@id, @name, 'UNKNOWN', '', '', @user, @status, @start, @end, '', 'active', @uri, @experiment, NULL)",
                    cancellationToken,
                    ("@id", info.RunId),
                    ("@name", info.RunName),
                    ("@user", info.UserId),
                    ("@status", Search.RunAttributes.StatusName(info.Status)),
                    ("@start", info.StartTime),
                    ("@end", info.EndTime),
                    ("@uri", info.ArtifactUri),
                    ("@experiment", long.Parse(info.ExperimentId, CultureInfo.InvariantCulture))).ConfigureAwait(false);
                await SqlTrackingStore.InsertParamsAsync(connection, transaction, info.RunId, run.Data.Params, cancellationToken).ConfigureAwait(false);
                await SqlTrackingStore.UpsertTagsAsync(connection, transaction, info.RunId, run.Data.Tags, cancellationToken).ConfigureAwait(false);
                await target.InsertMetricsAsync(connection, transaction, info.RunId, histories, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

        if (run.Inputs.DatasetInputs.Count > 0)
        {
            await target.LogInputsAsync(info.RunId, run.Inputs.DatasetInputs, cancellationToken).ConfigureAwait(false);
        }

        if (info.LifecycleStage == LifecycleStage.Deleted)
        {
            await target.DeleteRunAsync(info.RunId, cancellationToken).ConfigureAwait(false);
        }

        return histories.Count;
    }

    private static async Task<(int Models, int Versions)> CopyRegistryAsync(IModelRegistryStore source, SqlDatabase database, CancellationToken cancellationToken)
    {
        var models = new List<RegisteredModel>();
        string? token = null;
        do
        {
            var page = await source.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { PageToken = token, MaxResults = SearchRegisteredModelsRequest.MaxResultsLimit }, cancellationToken).ConfigureAwait(false);
            models.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        var versions = (await source.SearchModelVersionsAsync(new SearchModelVersionsRequest { MaxResults = SearchModelVersionsRequest.MaxResultsLimit }, cancellationToken).ConfigureAwait(false)).Items;
        var downloadUris = new Dictionary<(string, int), string>();
        foreach (var version in versions)
        {
            downloadUris[(version.Name, version.Version)] = await source.GetModelVersionDownloadUriAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
        }

        await database.InTransactionAsync(
            async (connection, transaction) =>
            {
                foreach (var model in models)
                {
                    await ExecuteAsync(connection, transaction, "INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (@name, @created, @updated, @description)", cancellationToken, ("@name", model.Name), ("@created", model.CreationTimestamp), ("@updated", model.LastUpdatedTimestamp), ("@description", model.Description)).ConfigureAwait(false);
                    foreach (var tag in model.Tags)
                    {
                        await ExecuteAsync(connection, transaction, "INSERT INTO registered_model_tags (\"key\", value, name) VALUES (@key, @value, @name)", cancellationToken, ("@key", tag.Key), ("@value", tag.Value), ("@name", model.Name)).ConfigureAwait(false);
                    }
                }

                foreach (var version in versions)
                {
                    await ExecuteAsync(
                        connection,
                        transaction,
                        "INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, status, status_message, run_link, storage_location) VALUES (@name, @version, @created, @updated, @description, @user, @stage, @source, @run, @status, @message, @link, @storage)",
                        cancellationToken,
                        ("@name", version.Name),
                        ("@version", version.Version),
                        ("@created", version.CreationTimestamp),
                        ("@updated", version.LastUpdatedTimestamp),
                        ("@description", version.Description),
                        ("@user", version.UserId),
                        ("@stage", version.CurrentStage.ToWireName()),
                        ("@source", version.Source),
                        ("@run", version.RunId),
                        ("@status", version.Status.ToWireName()),
                        ("@message", version.StatusMessage),
                        ("@link", version.RunLink),
                        ("@storage", downloadUris[(version.Name, version.Version)])).ConfigureAwait(false);
                    foreach (var tag in version.Tags)
                    {
                        await ExecuteAsync(connection, transaction, "INSERT INTO model_version_tags (\"key\", value, name, version) VALUES (@key, @value, @name, @version)", cancellationToken, ("@key", tag.Key), ("@value", tag.Value), ("@name", version.Name), ("@version", version.Version)).ConfigureAwait(false);
                    }
                }

                foreach (var model in models)
                {
                    foreach (var alias in model.Aliases)
                    {
                        await ExecuteAsync(connection, transaction, "INSERT INTO registered_model_aliases (alias, version, name) VALUES (@alias, @version, @name)", cancellationToken, ("@alias", alias.Alias), ("@version", alias.Version), ("@name", model.Name)).ConfigureAwait(false);
                    }
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return (models.Count, versions.Count);
    }

    /// <summary>Reads every experiment, run (with metric histories) and model back from both stores and compares them.</summary>
    private static async Task VerifyAsync(ITrackingStore source, ITrackingStore target, IModelRegistryStore sourceRegistry, IModelRegistryStore targetRegistry, List<Experiment> experiments, CancellationToken cancellationToken)
    {
        foreach (var experiment in experiments)
        {
            var copy = await target.GetExperimentAsync(experiment.ExperimentId, cancellationToken).ConfigureAwait(false);
            Check(copy.Name == experiment.Name && copy.LifecycleStage == experiment.LifecycleStage && copy.CreationTime == experiment.CreationTime && copy.ArtifactLocation == experiment.ArtifactLocation && SameSet(copy.Tags, experiment.Tags), $"experiment {experiment.ExperimentId}");
            foreach (var run in await AllRunsAsync(source, experiment.ExperimentId, cancellationToken).ConfigureAwait(false))
            {
                var copied = await target.GetRunAsync(run.Info.RunId, cancellationToken).ConfigureAwait(false);
                Check(copied.Info == run.Info, $"run {run.Info.RunId} (info)");
                Check(SameSet(copied.Data.Params, run.Data.Params) && SameSet(copied.Data.Tags, run.Data.Tags), $"run {run.Info.RunId} (params, tags)");
                Check(copied.Inputs.DatasetInputs.Count == run.Inputs.DatasetInputs.Count, $"run {run.Info.RunId} (inputs)");
                foreach (var metric in run.Data.Metrics)
                {
                    var before = (await source.GetMetricHistoryAsync(run.Info.RunId, metric.Key, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
                    var after = (await target.GetMetricHistoryAsync(run.Info.RunId, metric.Key, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
                    Check(SameSet(before.Distinct().ToList(), after), $"run {run.Info.RunId} (metric '{metric.Key}')");
                }
            }
        }

        var models = await sourceRegistry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { MaxResults = SearchRegisteredModelsRequest.MaxResultsLimit }, cancellationToken).ConfigureAwait(false);
        foreach (var model in models.Items)
        {
            var copy = await targetRegistry.GetRegisteredModelAsync(model.Name, cancellationToken).ConfigureAwait(false);
            Check(copy.CreationTimestamp == model.CreationTimestamp && copy.Description == model.Description && SameSet(copy.Tags, model.Tags) && SameSet(copy.Aliases, model.Aliases), $"registered model '{model.Name}'");
        }
    }

    private static bool SameSet<T>(IReadOnlyList<T> a, IReadOnlyList<T> b) => a.Count == b.Count && a.ToHashSet().SetEquals(b);

    private static void Check(bool same, string what)
    {
        if (!same)
        {
            throw new MlflowException(ErrorCode.InternalError, $"The copy of {what} differs from the file store after migration; the database keeps what was copied. Report this with both stores.");
        }
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = SqlDatabase.Command(connection, transaction, sql);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = SqlDatabase.Command(connection, transaction, sql);
        foreach (var (name, value) in parameters)
        {
            SqlDatabase.Add(command, name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
