using System.Data.Common;
using System.Globalization;
using System.Text;
using MlWorkflow.Tracking.Search;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.Sql;

public sealed partial class SqlTrackingStore
{
    private const string LogModelHistoryTag = "mlflow.log-model.history";

    // Rows per multi-row INSERT: 500 × 6 parameters stays under every driver's limit and makes one round trip per chunk.
    private const int RowsPerInsert = 500;

    /// <inheritdoc />
    /// <remarks>One transaction for params, metrics and tags (MLflow's SQL store uses three): a batch lands whole or not at all.</remarks>
    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        metrics ??= [];
        parameters ??= [];
        tags ??= [];
        TrackingValidation.ValidateBatch(metrics, parameters, tags);
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var info = await ReadActiveRunInfoAsync(connection, transaction, runId, cancellationToken).ConfigureAwait(false);
                await InsertParamsAsync(connection, transaction, runId, parameters, cancellationToken).ConfigureAwait(false);
                await InsertMetricsAsync(connection, transaction, runId, metrics, cancellationToken).ConfigureAwait(false);
                var lastTags = new Dictionary<string, RunTag>(StringComparer.Ordinal);
                foreach (var tag in tags)
                {
                    lastTags[tag.Key] = tag;
                }

                await UpsertTagsAsync(connection, transaction, runId, [.. lastTags.Values], cancellationToken).ConfigureAwait(false);
                if (lastTags.TryGetValue(RunNameTag, out var nameTag) && nameTag.Value != info.RunName)
                {
                    await using var rename = Command(connection, transaction, "UPDATE runs SET name = @name WHERE run_uuid = @id");
                    Add(rename, "@name", nameTag.Value);
                    Add(rename, "@id", runId);
                    await rename.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts new params; a param already logged with the same value is skipped, with another value it fails the batch.</summary>
    internal static async Task InsertParamsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Param> parameters, CancellationToken cancellationToken)
    {
        if (parameters.Count == 0)
        {
            return;
        }

        var existing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in parameters.Chunk(RowsPerInsert))
        {
            await using var read = Command(connection, transaction, $"SELECT \"key\", value FROM params WHERE run_uuid = @run AND \"key\" IN ({string.Join(", ", chunk.Select((_, i) => "@k" + Invariant(i)))})");
            Add(read, "@run", runId);
            for (var i = 0; i < chunk.Length; i++)
            {
                Add(read, "@k" + Invariant(i), chunk[i].Key);
            }

            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                existing[reader.GetString(0)] = Text(reader, 1);
            }
        }

        var changed = parameters.Where(p => existing.TryGetValue(p.Key, out var old) && old != p.Value).ToList();
        if (changed.Count > 0)
        {
            var first = changed[0];
            throw MlflowException.InvalidParameter(
                $"Changing param values is not allowed. Param with key='{TrackingValidation.Printable(first.Key)}' was already logged with value='{TrackingValidation.Printable(existing[first.Key])}' for run ID='{runId}'. Attempted logging new value '{TrackingValidation.Printable(first.Value)}'.");
        }

        var fresh = parameters.Where(p => !existing.ContainsKey(p.Key)).DistinctBy(p => p.Key, StringComparer.Ordinal).ToArray();
        foreach (var chunk in fresh.Chunk(RowsPerInsert))
        {
            var sql = new StringBuilder("INSERT INTO params (\"key\", value, run_uuid) VALUES ");
            await using var insert = Command(connection, transaction, string.Empty);
            for (var i = 0; i < chunk.Length; i++)
            {
                var n = Invariant(i);
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@k{n}, @v{n}, @run)");
                Add(insert, "@k" + n, chunk[i].Key);
                Add(insert, "@v" + n, chunk[i].Value);
            }

            Add(insert, "@run", runId);
            insert.CommandText = sql.ToString();
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Appends metric points (an exact duplicate of a stored point is ignored, as MLflow's primary key makes it) and moves each key's
    /// <c>latest_metrics</c> row forward when a point's (step, timestamp, value) is greater (mlflow-protocol 6.3), in one statement each.
    /// </summary>
    internal async Task InsertMetricsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        if (metrics.Count == 0)
        {
            return;
        }

        var latest = new Dictionary<string, (double Stored, bool IsNan, long Timestamp, long Step)>(StringComparer.Ordinal);
        var count = metrics.Count;
        (double Stored, bool IsNan) Track(Metric metric)
        {
            var (stored, isNan) = Stored(metric.Value);
            if (!latest.TryGetValue(metric.Key, out var current) || (metric.Step, metric.Timestamp, stored).CompareTo((current.Step, current.Timestamp, current.Stored)) > 0)
            {
                latest[metric.Key] = (stored, isNan, metric.Timestamp, metric.Step);
            }

            return (stored, isNan);
        }

        // PostgreSQL takes five arrays (one parameter each), SQLite the rows themselves: each built once, directly.
        if (_database.Dialect.ArrayParameters)
        {
            var keys = new string[count];
            var values = new double[count];
            var timestamps = new long[count];
            var steps = new long[count];
            var nans = new bool[count];
            for (var i = 0; i < count; i++)
            {
                var metric = metrics[i];
                var (stored, isNan) = Track(metric);
                (keys[i], values[i], timestamps[i], steps[i], nans[i]) = (metric.Key, stored, metric.Timestamp, metric.Step, isNan);
            }

            await InsertMetricArraysAsync(connection, transaction, runId, (keys, values, timestamps, steps, nans), latest, cancellationToken).ConfigureAwait(false);
            return;
        }

        var rows = new List<object?[]>(count);
        for (var i = 0; i < count; i++)
        {
            var metric = metrics[i];
            var (stored, isNan) = Track(metric);
            rows.Add([metric.Key, stored, metric.Timestamp, metric.Step, isNan, runId]);
        }

        const string Columns = "(\"key\", value, \"timestamp\", step, is_nan, run_uuid) VALUES ";
        await SqlRows.InsertAsync(connection, transaction, _database.Dialect, "INSERT INTO metrics " + Columns, " ON CONFLICT DO NOTHING", rows, cancellationToken).ConfigureAwait(false);

        // Keys in order, so that two writers of one run lock their latest_metrics rows in the same order (no deadlock).
        var latestRows = latest.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new object?[] { p.Key, p.Value.Stored, p.Value.Timestamp, p.Value.Step, p.Value.IsNan, runId }).ToList();
        await SqlRows.InsertAsync(
            connection,
            transaction,
            _database.Dialect,
            "INSERT INTO latest_metrics " + Columns,
            " ON CONFLICT (\"key\", run_uuid) DO UPDATE SET value = excluded.value, \"timestamp\" = excluded.\"timestamp\", step = excluded.step, is_nan = excluded.is_nan"
                + " WHERE (excluded.step, excluded.\"timestamp\", excluded.value) > (latest_metrics.step, COALESCE(latest_metrics.\"timestamp\", 0), latest_metrics.value)",
            latestRows,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The points and the moved <c>latest_metrics</c> rows as two statements over <c>unnest</c> of five arrays, sent in one round trip:
    /// the same rows and the same rule as the multi-row form, in statements whose text does not depend on the batch's size.
    /// </summary>
    private static async Task InsertMetricArraysAsync(
        DbConnection connection,
        DbTransaction transaction,
        string runId,
        (string[] Keys, double[] Values, long[] Timestamps, long[] Steps, bool[] Nans) points,
        Dictionary<string, (double Stored, bool IsNan, long Timestamp, long Step)> latest,
        CancellationToken cancellationToken)
    {
        const string Insert = "INSERT INTO metrics (\"key\", value, \"timestamp\", step, is_nan, run_uuid) SELECT u.k, u.v, u.t, u.s, u.n, @run FROM unnest(@k, @v, @t, @s, @n) AS u(k, v, t, s, n) ON CONFLICT DO NOTHING";

        // Keys in order, so that two writers of one run lock their latest_metrics rows in the same order (no deadlock).
        const string Latest = "INSERT INTO latest_metrics (\"key\", value, \"timestamp\", step, is_nan, run_uuid) SELECT u.k, u.v, u.t, u.s, u.n, @run FROM unnest(@lk, @lv, @lt, @ls, @ln) WITH ORDINALITY AS u(k, v, t, s, n, o) ORDER BY u.o"
            + " ON CONFLICT (\"key\", run_uuid) DO UPDATE SET value = excluded.value, \"timestamp\" = excluded.\"timestamp\", step = excluded.step, is_nan = excluded.is_nan"
            + " WHERE (excluded.step, excluded.\"timestamp\", excluded.value) > (latest_metrics.step, COALESCE(latest_metrics.\"timestamp\", 0), latest_metrics.value)";
        var ordered = latest.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        await using var command = Command(connection, transaction, Insert + ";\n" + Latest);
        Add(command, "@run", runId);
        Add(command, "@k", points.Keys);
        Add(command, "@v", points.Values);
        Add(command, "@t", points.Timestamps);
        Add(command, "@s", points.Steps);
        Add(command, "@n", points.Nans);
        Add(command, "@lk", ordered.Select(p => p.Key).ToArray());
        Add(command, "@lv", ordered.Select(p => p.Value.Stored).ToArray());
        Add(command, "@lt", ordered.Select(p => p.Value.Timestamp).ToArray());
        Add(command, "@ls", ordered.Select(p => p.Value.Step).ToArray());
        Add(command, "@ln", ordered.Select(p => p.Value.IsNan).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A value as MLflow stores it: NaN as 0 with <c>is_nan</c>, ±infinity as ±1.7976931348623157e308.</summary>
    private static (double Value, bool IsNan) Stored(double value) =>
        double.IsNaN(value) ? (0, true)
        : double.IsPositiveInfinity(value) ? (double.MaxValue, false)
        : double.IsNegativeInfinity(value) ? (double.MinValue, false)
        : (value, false);

    internal static async Task UpsertTagsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken)
    {
        foreach (var chunk in tags.Chunk(RowsPerInsert))
        {
            var sql = new StringBuilder("INSERT INTO tags (\"key\", value, run_uuid) VALUES ");
            await using var upsert = Command(connection, transaction, string.Empty);
            for (var i = 0; i < chunk.Length; i++)
            {
                var n = Invariant(i);
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@k{n}, @v{n}, @run)");
                Add(upsert, "@k" + n, chunk[i].Key);
                Add(upsert, "@v" + n, chunk[i].Value ?? string.Empty);
            }

            Add(upsert, "@run", runId);
            sql.Append(" ON CONFLICT (\"key\", run_uuid) DO UPDATE SET value = excluded.value");
            upsert.CommandText = sql.ToString();
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        TrackingValidation.ValidateKey(key, "Tag");
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await ReadActiveRunInfoAsync(connection, transaction, runId, cancellationToken).ConfigureAwait(false);
                await using var delete = Command(connection, transaction, "DELETE FROM tags WHERE run_uuid = @run AND \"key\" = @key");
                Add(delete, "@run", runId);
                Add(delete, "@key", key);
                if (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw MlflowException.NotFound($"No tag with name: {TrackingValidation.Printable(key)} in run with id {runId}");
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        ArgumentNullException.ThrowIfNull(datasets);
        foreach (var input in datasets)
        {
            TrackingValidation.ValidateDatasetInput(input);
        }

        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var info = await ReadActiveRunInfoAsync(connection, transaction, runId, cancellationToken).ConfigureAwait(false);
                var experimentId = ParseExperimentId(info.ExperimentId);
                foreach (var input in datasets)
                {
                    var dataset = input.Dataset;

                    // A dataset is one row per (experiment, name, digest), shared by the runs that use it (MLflow's primary key).
                    await using (var insert = Command(connection, transaction, "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, dataset_source, dataset_schema, dataset_profile) VALUES (@id, @experiment, @name, @digest, @type, @source, @schema, @profile) ON CONFLICT DO NOTHING"))
                    {
                        Add(insert, "@id", Guid.NewGuid().ToString("N"));
                        Add(insert, "@experiment", experimentId);
                        Add(insert, "@name", dataset.Name);
                        Add(insert, "@digest", dataset.Digest);
                        Add(insert, "@type", dataset.SourceType);
                        Add(insert, "@source", dataset.Source);
                        Add(insert, "@schema", dataset.Schema);
                        Add(insert, "@profile", dataset.Profile);
                        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    string datasetId;
                    await using (var read = Command(connection, transaction, "SELECT dataset_uuid FROM datasets WHERE experiment_id = @experiment AND name = @name AND digest = @digest"))
                    {
                        Add(read, "@experiment", experimentId);
                        Add(read, "@name", dataset.Name);
                        Add(read, "@digest", dataset.Digest);
                        datasetId = (string)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                    }

                    var inputId = Guid.NewGuid().ToString("N");
                    await using (var link = Command(connection, transaction, "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id) VALUES (@input, 'DATASET', @dataset, 'RUN', @run) ON CONFLICT DO NOTHING"))
                    {
                        Add(link, "@input", inputId);
                        Add(link, "@dataset", datasetId);
                        Add(link, "@run", runId);
                        if (await link.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                        {
                            continue; // this run already has this dataset: logged once, as MLflow does
                        }
                    }

                    var inputTags = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var tag in input.Tags ?? [])
                    {
                        inputTags[tag.Key] = tag.Value;
                    }

                    foreach (var (key, value) in inputTags)
                    {
                        await using var tag = Command(connection, transaction, "INSERT INTO input_tags (input_uuid, name, value) VALUES (@input, @name, @value)");
                        Add(tag, "@input", inputId);
                        Add(tag, "@name", key);
                        Add(tag, "@value", value);
                        await tag.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordLoggedModelAsync(string runId, string modelJson, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        ArgumentNullException.ThrowIfNull(modelJson);
        var entry = LoggedModelHistory.ReduceModel(modelJson);
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                await ReadActiveRunInfoAsync(connection, transaction, runId, cancellationToken).ConfigureAwait(false);
                string? existing;
                await using (var read = Command(connection, transaction, "SELECT value FROM tags WHERE run_uuid = @run AND \"key\" = @key"))
                {
                    Add(read, "@run", runId);
                    Add(read, "@key", LogModelHistoryTag);
                    existing = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
                }

                await UpsertTagsAsync(connection, transaction, runId, [new RunTag(LogModelHistoryTag, LoggedModelHistory.Append(existing, entry))], cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PagedList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, int? maxResults = null, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        TrackingValidation.ValidateKey(metricKey, "Metric");
        if (maxResults is < 1)
        {
            throw MlflowException.InvalidParameter($"Invalid value {maxResults} for parameter 'max_results' supplied. It must be a positive integer.");
        }

        var offset = SearchPageToken.Decode(pageToken);
        return await _database.ReadAsync(
            async connection =>
            {
                await ReadRunInfoAsync(connection, null, runId, cancellationToken).ConfigureAwait(false);
                await using var command = Command(connection, null, $"SELECT value, \"timestamp\", step, is_nan FROM metrics WHERE run_uuid = @run AND \"key\" = @key ORDER BY {_database.Dialect.HistoryOrder} LIMIT @limit OFFSET @offset");
                Add(command, "@run", runId);
                Add(command, "@key", metricKey);
                Add(command, "@limit", maxResults is { } limit ? limit + 1L : long.MaxValue);
                Add(command, "@offset", (long)offset);
                var items = new List<Metric>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    items.Add(new Metric(metricKey, ReadValue(reader, 0, 3), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture)));
                }

                return new PagedList<Metric>(items, maxResults is { } max ? SearchPageToken.TrimToPage(items, offset, max) : null);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One query in history order, read straight into three columns: no <see cref="Metric"/> object per point.</remarks>
    public async Task<MetricPoints> GetMetricPointsAsync(string runId, string metricKey, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        TrackingValidation.ValidateKey(metricKey, "Metric");
        return await _database.ReadAsync(
            async connection =>
            {
                await ReadRunInfoAsync(connection, null, runId, cancellationToken).ConfigureAwait(false);
                await using var command = Command(connection, null, $"SELECT value, \"timestamp\", step, is_nan FROM metrics WHERE run_uuid = @run AND \"key\" = @key ORDER BY {_database.Dialect.HistoryOrder}");
                Add(command, "@run", runId);
                Add(command, "@key", metricKey);
                var steps = new long[16];
                var timestamps = new long[16];
                var values = new double[16];
                var count = 0;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (count == steps.Length)
                    {
                        Array.Resize(ref steps, count * 2);
                        Array.Resize(ref timestamps, count * 2);
                        Array.Resize(ref values, count * 2);
                    }

                    values[count] = ReadValue(reader, 0, 3);
                    timestamps[count] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
                    steps[count] = Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture);
                    count++;
                }

                return count == 0 ? MetricPoints.Empty : new MetricPoints(steps, timestamps, values, count);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
