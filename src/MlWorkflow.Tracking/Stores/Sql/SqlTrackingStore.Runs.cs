using System.Data.Common;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Search;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.Sql;

public sealed partial class SqlTrackingStore
{
    private const string RunColumns = "r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage";

    /// <inheritdoc />
    public async Task<Run> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        TrackingValidation.ValidateExperimentId(request.ExperimentId);
        var tags = request.Tags ?? [];
        foreach (var tag in tags)
        {
            TrackingValidation.ValidateTag(tag);
        }

        var tagName = tags.LastOrDefault(t => t.Key == RunNameTag)?.Value;
        if (request.RunName is not null && tagName is not null && request.RunName != tagName)
        {
            throw MlflowException.InvalidParameter($"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{TrackingValidation.Printable(request.RunName)}', mlflow.runName='{TrackingValidation.Printable(tagName)}').");
        }

        var runName = request.RunName ?? tagName;
        TrackingValidation.ValidateRunName(runName);
        if (string.IsNullOrEmpty(runName))
        {
            runName = MlWorkflow.Tracking.Stores.File.RunNameGenerator.Generate();
        }

        if (request.StartTime is < 0)
        {
            throw MlflowException.InvalidParameter($"Invalid start time {request.StartTime}: it must be a non-negative number of milliseconds since the Unix epoch.");
        }

        var finalTags = new List<RunTag>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tag in tags.Append(new RunTag(RunNameTag, runName)))
        {
            if (seen.TryGetValue(tag.Key, out var index))
            {
                if (tag.Key != RunNameTag)
                {
                    finalTags[index] = tag;
                }
            }
            else
            {
                seen[tag.Key] = finalTags.Count;
                finalTags.Add(tag);
            }
        }

        return await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var experiment = await ReadExperimentAsync(connection, transaction, request.ExperimentId, cancellationToken).ConfigureAwait(false)
                    ?? throw MlflowException.NotFound($"Could not find experiment with ID {request.ExperimentId}");
                if (experiment.LifecycleStage != LifecycleStage.Active)
                {
                    throw new MlflowException(ErrorCode.InvalidState, $"Could not create run under non-active experiment with ID {request.ExperimentId}.");
                }

                var runId = Guid.NewGuid().ToString("N");
                var artifactUri = FileUris.Append(FileUris.Append(experiment.ArtifactLocation, runId), "artifacts");
                var info = new RunInfo(runId, experiment.ExperimentId, runName, request.UserId ?? string.Empty, RunStatus.Running, request.StartTime ?? Now(), null, artifactUri, LifecycleStage.Active);

                // The legacy source columns get MLflow's placeholders (mlflow-protocol 6.5); the real values live in tags.
                await using (var insert = Command(connection, transaction, "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time) VALUES (@id, @name, 'UNKNOWN', '', '', @user, 'RUNNING', @start, NULL, '', 'active', @uri, @experiment, NULL)"))
                {
                    Add(insert, "@id", runId);
                    Add(insert, "@name", runName);
                    Add(insert, "@user", info.UserId);
                    Add(insert, "@start", info.StartTime);
                    Add(insert, "@uri", artifactUri);
                    Add(insert, "@experiment", ParseExperimentId(experiment.ExperimentId));
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await UpsertTagsAsync(connection, transaction, runId, finalTags, cancellationToken).ConfigureAwait(false);
                return new Run(info, new RunData([], [], finalTags), RunInputs.Empty);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        return await _database.ReadAsync(
            async connection =>
            {
                var info = await ReadRunInfoAsync(connection, null, runId, cancellationToken).ConfigureAwait(false);
                var runs = await LoadRunsAsync(connection, [info], cancellationToken).ConfigureAwait(false);
                return runs[0];
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RunInfo> UpdateRunInfoAsync(string runId, RunStatus status, long? endTime, string? runName = null, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        TrackingValidation.ValidateRunName(runName);
        if (!Enum.IsDefined(status))
        {
            throw MlflowException.InvalidParameter($"Invalid run status {(int)status}.");
        }

        return await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var info = await ReadActiveRunInfoAsync(connection, transaction, runId, cancellationToken).ConfigureAwait(false);
                var name = string.IsNullOrEmpty(runName) ? info.RunName : runName;
                var updated = info with { Status = status, EndTime = endTime ?? info.EndTime, RunName = name };
                await using (var update = Command(connection, transaction, "UPDATE runs SET status = @status, end_time = @end, name = @name WHERE run_uuid = @id"))
                {
                    Add(update, "@status", RunAttributes.StatusName(status));
                    Add(update, "@end", updated.EndTime);
                    Add(update, "@name", name);
                    Add(update, "@id", runId);
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (!string.IsNullOrEmpty(runName))
                {
                    await UpsertTagsAsync(connection, transaction, runId, [new RunTag(RunNameTag, runName)], cancellationToken).ConfigureAwait(false);
                }

                return updated;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default) => SetRunStageAsync(runId, LifecycleStage.Deleted, cancellationToken);

    /// <inheritdoc />
    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default) => SetRunStageAsync(runId, LifecycleStage.Active, cancellationToken);

    private async Task SetRunStageAsync(string runId, LifecycleStage stage, CancellationToken cancellationToken)
    {
        TrackingValidation.ValidateRunId(runId);
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await using var update = Command(connection, transaction, "UPDATE runs SET lifecycle_stage = @stage, deleted_time = @deleted WHERE run_uuid = @id");
                Add(update, "@stage", Stage(stage));
                Add(update, "@deleted", stage == LifecycleStage.Deleted ? Now() : null);
                Add(update, "@id", runId);
                if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw MlflowException.NotFound($"Run '{runId}' not found");
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<RunInfo> ReadRunInfoAsync(DbConnection connection, DbTransaction? transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT {RunColumns} FROM runs r WHERE r.run_uuid = @id");
        Add(command, "@id", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? ReadRunInfo(reader)
            : throw MlflowException.NotFound($"Run '{runId}' not found");
    }

    private static async Task<RunInfo> ReadActiveRunInfoAsync(DbConnection connection, DbTransaction? transaction, string runId, CancellationToken cancellationToken)
    {
        var info = await ReadRunInfoAsync(connection, transaction, runId, cancellationToken).ConfigureAwait(false);
        return info.LifecycleStage == LifecycleStage.Active
            ? info
            : throw MlflowException.InvalidParameter($"The run {runId} must be in the 'active' state. Current state is deleted.");
    }

    /// <summary>A run's info from the columns <see cref="RunColumns"/>.</summary>
    private static RunInfo ReadRunInfo(DbDataReader reader) => new(
        reader.GetString(0),
        Invariant(Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)),
        Text(reader, 2),
        Text(reader, 3),
        ParseStatus(NullableText(reader, 4)),
        NullableLong(reader, 5) ?? 0,
        NullableLong(reader, 6),
        Text(reader, 7),
        NullableText(reader, 8) == "deleted" ? LifecycleStage.Deleted : LifecycleStage.Active);

    private static RunStatus ParseStatus(string? status) => status switch
    {
        "SCHEDULED" => RunStatus.Scheduled,
        "FINISHED" => RunStatus.Finished,
        "FAILED" => RunStatus.Failed,
        "KILLED" => RunStatus.Killed,
        _ => RunStatus.Running,
    };

    /// <summary>Reads the latest metrics, params, tags and dataset inputs of runs, a few queries for all of them, in their order.</summary>
    private static async Task<Run[]> LoadRunsAsync(DbConnection connection, IReadOnlyList<RunInfo> infos, CancellationToken cancellationToken)
    {
        var metrics = new Dictionary<string, List<Metric>>(StringComparer.Ordinal);
        var parameters = new Dictionary<string, List<Param>>(StringComparer.Ordinal);
        var tags = new Dictionary<string, List<RunTag>>(StringComparer.Ordinal);
        var inputs = new Dictionary<string, List<DatasetInput>>(StringComparer.Ordinal);
        foreach (var chunk in infos.Select(i => i.RunId).Chunk(500))
        {
            var list = string.Join(", ", chunk.Select((_, i) => "@r" + Invariant(i)));
            await ReadAsync($"SELECT run_uuid, \"key\", value, \"timestamp\", step, is_nan FROM latest_metrics WHERE run_uuid IN ({list}) ORDER BY run_uuid, \"key\"", reader =>
                Collect(metrics, reader.GetString(0), new Metric(reader.GetString(1), ReadValue(reader, 2, 5), NullableLong(reader, 3) ?? 0, NullableLong(reader, 4) ?? 0))).ConfigureAwait(false);
            await ReadAsync($"SELECT run_uuid, \"key\", value FROM params WHERE run_uuid IN ({list}) ORDER BY run_uuid, \"key\"", reader =>
                Collect(parameters, reader.GetString(0), new Param(reader.GetString(1), Text(reader, 2)))).ConfigureAwait(false);
            await ReadAsync($"SELECT run_uuid, \"key\", value FROM tags WHERE run_uuid IN ({list}) ORDER BY run_uuid, \"key\"", reader =>
                Collect(tags, reader.GetString(0), new RunTag(reader.GetString(1), Text(reader, 2)))).ConfigureAwait(false);

            var inputTags = new Dictionary<string, List<InputTag>>(StringComparer.Ordinal);
            var rows = new List<(string RunId, string InputId, Dataset Dataset)>();
            await ReadAsync(
                $"SELECT i.destination_id, i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema, d.dataset_profile FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id IN ({list}) ORDER BY i.destination_id, d.name, d.digest",
                reader => rows.Add((reader.GetString(0), reader.GetString(1), new Dataset(reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), NullableText(reader, 6), NullableText(reader, 7))))).ConfigureAwait(false);
            if (rows.Count > 0)
            {
                await ReadAsync(
                    $"SELECT t.input_uuid, t.name, t.value FROM input_tags t JOIN inputs i ON i.input_uuid = t.input_uuid WHERE i.destination_type = 'RUN' AND i.destination_id IN ({list}) ORDER BY t.input_uuid, t.name",
                    reader => Collect(inputTags, reader.GetString(0), new InputTag(reader.GetString(1), reader.GetString(2)))).ConfigureAwait(false);
                foreach (var (runId, inputId, dataset) in rows)
                {
                    Collect(inputs, runId, new DatasetInput(dataset, inputTags.TryGetValue(inputId, out var t) ? t : []));
                }
            }

            async Task ReadAsync(string sql, Action<DbDataReader> row)
            {
                await using var command = Command(connection, null, sql);
                for (var i = 0; i < chunk.Length; i++)
                {
                    Add(command, "@r" + Invariant(i), chunk[i]);
                }

                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    row(reader);
                }
            }
        }

        return infos.Select(info => new Run(
            info,
            new RunData(
                metrics.TryGetValue(info.RunId, out var m) ? m : [],
                parameters.TryGetValue(info.RunId, out var p) ? p : [],
                tags.TryGetValue(info.RunId, out var t) ? t : []),
            inputs.TryGetValue(info.RunId, out var d) ? new RunInputs(d) : RunInputs.Empty)).ToArray();

        static void Collect<T>(Dictionary<string, List<T>> into, string runId, T item)
        {
            if (!into.TryGetValue(runId, out var list))
            {
                into[runId] = list = [];
            }

            list.Add(item);
        }
    }

    /// <summary>A metric value as stored (mlflow-protocol 6.3): <c>is_nan</c> gives NaN, ±1.7976931348623157e308 gives ±infinity.</summary>
    private static double ReadValue(DbDataReader reader, int value, int isNan)
    {
        if (Convert.ToBoolean(reader.GetValue(isNan), System.Globalization.CultureInfo.InvariantCulture))
        {
            return double.NaN;
        }

        var number = Convert.ToDouble(reader.GetValue(value), System.Globalization.CultureInfo.InvariantCulture);
        return number == double.MaxValue ? double.PositiveInfinity : number == double.MinValue ? double.NegativeInfinity : number;
    }
}
