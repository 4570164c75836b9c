using System.Data.Common;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Search;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.Sql;

public sealed partial class SqlTrackingStore
{
    private const string ExperimentColumns = "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

    /// <inheritdoc />
    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation = null, IReadOnlyList<ExperimentTag>? tags = null, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentName(name);
        foreach (var tag in tags ?? [])
        {
            TrackingValidation.ValidateExperimentTag(tag);
        }

        var location = TrackingValidation.ResolveArtifactLocation(artifactLocation);
        return await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await ThrowIfNameTakenAsync(connection, transaction, name, null, cancellationToken).ConfigureAwait(false);
                var now = Now();
                long id;
                await using (var insert = Command(connection, transaction, "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (@name, @location, 'active', @now, @now) RETURNING experiment_id"))
                {
                    Add(insert, "@name", name);
                    Add(insert, "@location", location);
                    Add(insert, "@now", now);
                    try
                    {
                        id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                    }
                    catch (DbException error) when (_database.Dialect.IsUniqueViolation(error))
                    {
                        throw MlflowException.AlreadyExists($"Experiment '{name}' already exists.");
                    }
                }

                if (location is null)
                {
                    await using var update = Command(connection, transaction, "UPDATE experiments SET artifact_location = @location WHERE experiment_id = @id");
                    Add(update, "@location", FileUris.Append(ArtifactRootUri, Invariant(id)));
                    Add(update, "@id", id);
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                foreach (var tag in tags ?? [])
                {
                    await UpsertExperimentTagAsync(connection, transaction, id, tag, cancellationToken).ConfigureAwait(false);
                }

                return Invariant(id);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentId(experimentId);
        return await _database.ReadAsync(
            async connection => await ReadExperimentAsync(connection, null, experimentId, cancellationToken).ConfigureAwait(false)
                ?? throw MlflowException.NotFound($"Could not find experiment with ID {experimentId}"),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return await _database.ReadAsync(
            async connection =>
            {
                var found = await QueryExperimentsAsync(connection, null, $"SELECT {ExperimentColumns} FROM experiments WHERE name = @name", c => Add(c, "@name", name), cancellationToken).ConfigureAwait(false);
                return found.Count == 0 ? null : found[0];
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PagedList<Experiment>> SearchExperimentsAsync(SearchExperimentsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sql = SqlExperimentSearch.Build(request, _database.Dialect, out var offset);
        var page = await _database.ReadAsync(
            connection => QueryExperimentsAsync(connection, null, sql.Text, sql.Bind, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var next = SearchPageToken.TrimToPage(page, offset, request.MaxResults);
        return new PagedList<Experiment>(page, next);
    }

    /// <inheritdoc />
    public async Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentId(experimentId);
        TrackingValidation.ValidateExperimentName(newName);
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var experiment = await ReadExperimentAsync(connection, transaction, experimentId, cancellationToken).ConfigureAwait(false)
                    ?? throw MlflowException.NotFound($"Could not find experiment with ID {experimentId}");
                if (experiment.LifecycleStage != LifecycleStage.Active)
                {
                    throw new MlflowException(ErrorCode.InvalidState, $"Cannot rename experiment {experimentId}: it is deleted. Restore it first.");
                }

                await ThrowIfNameTakenAsync(connection, transaction, newName, experimentId, cancellationToken).ConfigureAwait(false);
                await using var update = Command(connection, transaction, "UPDATE experiments SET name = @name, last_update_time = @now WHERE experiment_id = @id");
                Add(update, "@name", newName);
                Add(update, "@now", Now());
                Add(update, "@id", ParseExperimentId(experimentId));
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentId(experimentId);
        if (experimentId == Experiment.DefaultExperimentId)
        {
            throw MlflowException.InvalidParameter($"Cannot delete the default experiment '{Experiment.DefaultExperimentId}'. This is an internally reserved experiment.");
        }

        await SetExperimentStageAsync(experimentId, LifecycleStage.Active, LifecycleStage.Deleted, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentId(experimentId);
        await SetExperimentStageAsync(experimentId, LifecycleStage.Deleted, LifecycleStage.Active, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetExperimentTagAsync(string experimentId, ExperimentTag tag, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentId(experimentId);
        TrackingValidation.ValidateExperimentTag(tag);
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var experiment = await ReadExperimentAsync(connection, transaction, experimentId, cancellationToken).ConfigureAwait(false)
                    ?? throw MlflowException.NotFound($"Could not find experiment with ID {experimentId}");
                if (experiment.LifecycleStage != LifecycleStage.Active)
                {
                    throw MlflowException.InvalidParameter($"The experiment {experimentId} must be in the 'active' state. Current state is deleted.");
                }

                await UpsertExperimentTagAsync(connection, transaction, ParseExperimentId(experimentId)!.Value, tag, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes (or restores) an experiment with every run of it, as MLflow's SQL store does (mlflow-protocol 6.6).</summary>
    private async Task SetExperimentStageAsync(string experimentId, LifecycleStage from, LifecycleStage to, CancellationToken cancellationToken)
    {
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var id = ParseExperimentId(experimentId);
                var now = Now();
                await using (var update = Command(connection, transaction, "UPDATE experiments SET lifecycle_stage = @to, last_update_time = @now WHERE experiment_id = @id AND lifecycle_stage = @from"))
                {
                    Add(update, "@to", Stage(to));
                    Add(update, "@from", Stage(from));
                    Add(update, "@now", now);
                    Add(update, "@id", id);
                    if (id is null || await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        throw MlflowException.NotFound(from == LifecycleStage.Active
                            ? $"Could not find experiment with ID {experimentId}"
                            : $"Could not find deleted experiment with ID {experimentId}");
                    }
                }

                await using var runs = Command(connection, transaction, "UPDATE runs SET lifecycle_stage = @to, deleted_time = @deleted WHERE experiment_id = @id");
                Add(runs, "@to", Stage(to));
                Add(runs, "@deleted", to == LifecycleStage.Deleted ? now : null);
                Add(runs, "@id", id);
                await runs.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static string Stage(LifecycleStage stage) => stage == LifecycleStage.Active ? "active" : "deleted";

    private static async Task ThrowIfNameTakenAsync(DbConnection connection, DbTransaction transaction, string name, string? exceptId, CancellationToken cancellationToken)
    {
        var found = await QueryExperimentsAsync(connection, transaction, $"SELECT {ExperimentColumns} FROM experiments WHERE name = @name", c => Add(c, "@name", name), cancellationToken).ConfigureAwait(false);
        foreach (var experiment in found)
        {
            if (experiment.ExperimentId != exceptId)
            {
                throw experiment.LifecycleStage == LifecycleStage.Active
                    ? MlflowException.AlreadyExists($"Experiment '{name}' already exists.")
                    : MlflowException.AlreadyExists($"Experiment '{name}' already exists in deleted state. You can restore the experiment, or permanently delete it (mlw gc) in order to use this experiment name again.");
            }
        }
    }

    private static async Task UpsertExperimentTagAsync(DbConnection connection, DbTransaction transaction, long experimentId, ExperimentTag tag, CancellationToken cancellationToken)
    {
        await using var upsert = Command(connection, transaction, "INSERT INTO experiment_tags (\"key\", value, experiment_id) VALUES (@key, @value, @id) ON CONFLICT (\"key\", experiment_id) DO UPDATE SET value = excluded.value");
        Add(upsert, "@key", tag.Key);
        Add(upsert, "@value", tag.Value ?? string.Empty);
        Add(upsert, "@id", experimentId);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Experiment?> ReadExperimentAsync(DbConnection connection, DbTransaction? transaction, string experimentId, CancellationToken cancellationToken)
    {
        if (ParseExperimentId(experimentId) is not { } id)
        {
            return null;
        }

        var found = await QueryExperimentsAsync(connection, transaction, $"SELECT {ExperimentColumns} FROM experiments WHERE experiment_id = @id", c => Add(c, "@id", id), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Runs an experiment query (columns <see cref="ExperimentColumns"/>) and reads the experiments' tags in one more query.</summary>
    private static async Task<List<Experiment>> QueryExperimentsAsync(DbConnection connection, DbTransaction? transaction, string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        // Plain loops and a reference-type row: generic code over value types (tuples, LINQ over long) is compiled anew in each process.
        var rows = new List<ExperimentRow>();
        await using (var command = Command(connection, transaction, sql))
        {
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new ExperimentRow(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetString(1), NullableText(reader, 2), NullableText(reader, 3), NullableLong(reader, 4), NullableLong(reader, 5)));
            }
        }

        var byId = new Dictionary<string, ExperimentRow>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            byId.TryAdd(row.Key, row);
        }

        for (var start = 0; start < rows.Count; start += 500)
        {
            var count = Math.Min(500, rows.Count - start);
            var names = new string[count];
            for (var i = 0; i < count; i++)
            {
                names[i] = "@e" + Invariant(i);
            }

            await using var command = Command(connection, transaction, $"SELECT experiment_id, \"key\", value FROM experiment_tags WHERE experiment_id IN ({string.Join(", ", names)})");
            for (var i = 0; i < count; i++)
            {
                Add(command, names[i], rows[start + i].Id);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (byId.TryGetValue(Invariant(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)), out var row))
                {
                    row.Tags.Add(new ExperimentTag(reader.GetString(1), Text(reader, 2)));
                }
            }
        }

        var experiments = new List<Experiment>(rows.Count);
        foreach (var r in rows)
        {
            experiments.Add(new Experiment(
                r.Key,
                r.Name,
                r.Location ?? string.Empty,
                r.Stage == "deleted" ? LifecycleStage.Deleted : LifecycleStage.Active,
                r.Created,
                r.Updated,
                r.Tags));
        }

        return experiments;
    }

    /// <summary>One row of <see cref="ExperimentColumns"/> and the tags read for it.</summary>
    private sealed class ExperimentRow(long id, string name, string? location, string? stage, long? created, long? updated)
    {
        public long Id { get; } = id;

        public string Key { get; } = Invariant(id);

        public string Name { get; } = name;

        public string? Location { get; } = location;

        public string? Stage { get; } = stage;

        public long? Created { get; } = created;

        public long? Updated { get; } = updated;

        public List<ExperimentTag> Tags { get; } = [];
    }
}
