using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MlWorkflow.Tracking.Search;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.File;

public sealed partial class FileTrackingStore
{
    private const string LogModelHistoryTag = "mlflow.log-model.history";
    private readonly object _modelHistoryLock = new();

    /// <inheritdoc />
    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        metrics ??= [];
        parameters ??= [];
        tags ??= [];
        TrackingValidation.ValidateBatch(metrics, parameters, tags);
        EnsureInitialized();
        await Run(() =>
        {
            var meta = FindActiveRun(runId);
            var directory = meta.Directory;

            // Everything is checked against the disk before the first byte is written: a batch the store cannot hold fails whole.
            var plan = PlanBatch(meta, metrics, parameters, tags);
            var created = new List<string>();
            try
            {
                foreach (var (path, param) in plan.NewParams)
                {
                    if (CreateParam(meta, path, param))
                    {
                        created.Add(path);
                    }
                }

                foreach (var (path, key, value) in plan.Tags)
                {
                    var existed = System.IO.File.Exists(path);
                    KeyFiles.WriteChecked(path, key, value, directory);
                    if (!existed)
                    {
                        created.Add(path);
                    }
                }

                if (plan.Tags.LastOrDefault(t => t.Key == RunNameTag) is { Key: not null } nameTag && nameTag.Value != meta.Info.RunName)
                {
                    WriteRunMeta(meta with { Info = meta.Info with { RunName = nameTag.Value }, DeletedTime = null, WriteDeletedTime = false });
                }

                // Last, all or nothing: a failure cuts every metric file back, and the params and tags this batch created go.
                MetricFileAppender.AppendAll(Path.Combine(directory, "metrics"), plan.MetricAppends);
            }
            catch
            {
                foreach (var path in created)
                {
                    StoreFiles.TryDelete(path);
                }

                throw;
            }
            finally
            {
                RunChanged(directory);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a batch will write, checked: params not stored yet, the last value of each tag, each metric file's lines.</summary>
    private sealed record BatchPlan(List<(string Path, Param Param)> NewParams, List<(string Path, string Key, string Value)> Tags, List<(string Path, byte[] Bytes)> MetricAppends);

    private static BatchPlan PlanBatch(RunMeta meta, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags)
    {
        var directory = meta.Directory;
        if (KeyFiles.IsLink(directory))
        {
            throw MlflowException.InvalidParameter($"Run '{meta.Info.RunId}' cannot be written: its folder is a link, which the store does not follow.");
        }

        KeyFiles.CheckNoPrefixConflicts(parameters.Select(p => p.Key), "Param");
        KeyFiles.CheckNoPrefixConflicts(tags.Select(t => t.Key), "Tag");
        KeyFiles.CheckNoPrefixConflicts(metrics.Select(m => m.Key), "Metric");

        var newParams = new List<(string Path, Param Param)>();
        var paramsFolder = Path.Combine(directory, "params");
        foreach (var param in parameters)
        {
            var path = KeyFiles.CheckWritable(paramsFolder, param.Key, "Param");
            if (System.IO.File.Exists(path) && StoreFiles.TryReadText(path) is { } existing)
            {
                ThrowIfChanged(meta, param, existing);
            }
            else
            {
                newParams.Add((path, param));
            }
        }

        var lastTags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            lastTags[tag.Key] = ValueOrEmpty(tag.Value);
        }

        var tagsFolder = Path.Combine(directory, "tags");
        var tagWrites = lastTags.Select(t => (KeyFiles.CheckWritable(tagsFolder, t.Key, "Tag"), t.Key, t.Value)).ToList();

        var metricsFolder = Path.Combine(directory, "metrics");
        var byKey = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var metric in metrics)
        {
            if (!byKey.TryGetValue(metric.Key, out var builder))
            {
                builder = new StringBuilder(64);
                byKey[metric.Key] = builder;
                order.Add(metric.Key);
            }

            MetricFileFormat.AppendLine(builder, metric);
        }

        var appends = order.Select(key => (KeyFiles.CheckWritable(metricsFolder, key, "Metric"), StoreFiles.Encode(byKey[key].ToString()))).ToList();
        return new BatchPlan(newParams, tagWrites, appends);
    }

    /// <inheritdoc />
    public async Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        TrackingValidation.ValidateKey(key, "Tag");
        EnsureInitialized();
        await Run(() =>
        {
            var meta = FindActiveRun(runId);
            var path = KeyFiles.PathOf(Path.Combine(meta.Directory, "tags"), key);
            if (!System.IO.File.Exists(path))
            {
                throw MlflowException.NotFound($"No tag with name: {key} in run with id {runId}");
            }

            System.IO.File.Delete(path);
            RunChanged(meta.Directory);
        }, cancellationToken).ConfigureAwait(false);
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

        EnsureInitialized();
        await Run(() =>
        {
            var meta = FindActiveRun(runId);
            var experimentDirectory = Path.GetDirectoryName(meta.Directory)!;
            foreach (var input in datasets)
            {
                var dataset = input.Dataset;
                var datasetId = Md5Hex(dataset.Name + dataset.Digest);
                var datasetDirectory = Path.Combine(experimentDirectory, "datasets", datasetId);
                Directory.CreateDirectory(datasetDirectory);
                StoreFiles.TryCreate(Path.Combine(datasetDirectory, MetaFileName), MetaYamlWriter.Write(
                [
                    new("digest", dataset.Digest),
                    new("name", dataset.Name),
                    new("profile", dataset.Profile),
                    new("schema", dataset.Schema),
                    new("source", dataset.Source),
                    new("source_type", dataset.SourceType),
                ]), datasetDirectory);

                var inputDirectory = Path.Combine(meta.Directory, "inputs", Md5Hex(datasetId + runId));
                Directory.CreateDirectory(inputDirectory);
                var inputTags = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var tag in input.Tags ?? [])
                {
                    inputTags[tag.Key] = tag.Value;
                }

                // destination_id holds the dataset id, as MLflow writes it.
                StoreFiles.TryCreate(Path.Combine(inputDirectory, MetaFileName), MetaYamlWriter.Write(
                [
                    new("destination_id", datasetId),
                    new("destination_type", "RUN"),
                    new("source_id", datasetId),
                    new("source_type", "DATASET"),
                    new("tags", inputTags),
                ]), inputDirectory);
            }

            RunChanged(meta.Directory);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordLoggedModelAsync(string runId, string modelJson, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        ArgumentNullException.ThrowIfNull(modelJson);
        var entry = LoggedModelHistory.ReduceModel(modelJson);
        EnsureInitialized();
        await Run(() =>
        {
            var meta = FindActiveRun(runId);
            var tagsFolder = Path.Combine(meta.Directory, "tags");
            lock (_modelHistoryLock)
            {
                var existing = StoreFiles.TryReadText(KeyFiles.PathOf(tagsFolder, LogModelHistoryTag));
                KeyFiles.Write(tagsFolder, LogModelHistoryTag, LoggedModelHistory.Append(existing, entry), meta.Directory);
            }

            RunChanged(meta.Directory);
        }, cancellationToken).ConfigureAwait(false);
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

        EnsureInitialized();
        return await Run(() =>
        {
            var meta = FindRun(runId);
            var folder = Path.Combine(meta.Directory, "metrics");
            var path = KeyFiles.PathOf(folder, metricKey);
            if (LeadsThroughLink(folder, metricKey))
            {
                throw new MlflowException(ErrorCode.InvalidState, $"Metric '{KeyFiles.Excerpt(metricKey)}' of run '{runId}' cannot be read: its file is reached through a link, which the store does not follow. Remove the link.");
            }

            // Streamed: only the requested page is kept in memory, whatever the file's size.
            // The token also carries the byte position of the next page, so a later page does not re-read the earlier ones.
            var (offset, position) = SearchPageToken.DecodeWithPosition(pageToken);
            var page = MetricFileReader.ReadPage(path, metricKey, offset, maxResults ?? int.MaxValue, out var hasMore, position, out var next);
            return new PagedList<Metric>(page, hasMore ? SearchPageToken.Encode(offset + page.Count, next) : null);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<MetricPoints> GetMetricPointsAsync(string runId, string metricKey, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        TrackingValidation.ValidateKey(metricKey, "Metric");
        EnsureInitialized();

        // A whole history can be millions of lines: a long scan, so on the thread pool, not the caller's thread.
        return await RunInBackground(() =>
        {
            var meta = FindRun(runId);
            var folder = Path.Combine(meta.Directory, "metrics");
            var path = KeyFiles.PathOf(folder, metricKey);
            if (LeadsThroughLink(folder, metricKey))
            {
                throw new MlflowException(ErrorCode.InvalidState, $"Metric '{KeyFiles.Excerpt(metricKey)}' of run '{runId}' cannot be read: its file is reached through a link, which the store does not follow. Remove the link.");
            }

            // One pass over the file into three columns: no Metric object per point.
            return MetricFileReader.ReadPoints(path);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a key's file, or a folder on its way from <paramref name="folder"/> (included), is a link.</summary>
    private static bool LeadsThroughLink(string folder, string key)
    {
        var current = Path.TrimEndingDirectorySeparator(folder);
        if (KeyFiles.IsLink(current))
        {
            return true;
        }

        foreach (var part in key.Split('/'))
        {
            current = Path.Combine(current, part);
            if (KeyFiles.IsLink(current))
            {
                return true;
            }
        }

        return false;
    }

    private static void ThrowIfChanged(RunMeta meta, Param param, string existing)
    {
        var value = ValueOrEmpty(param.Value);
        if (existing != value)
        {
            throw MlflowException.InvalidParameter($"Changing param values is not allowed. Param with key='{KeyFiles.Excerpt(param.Key)}' was already logged with value='{KeyFiles.Excerpt(existing)}' for run ID='{meta.Info.RunId}'. Attempted logging new value '{KeyFiles.Excerpt(value)}'.");
        }
    }

    /// <summary>Creates a checked param's file; returns whether this call created it (false when an equal value was there).</summary>
    private static bool CreateParam(RunMeta meta, string path, Param param)
    {
        var value = ValueOrEmpty(param.Value);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (System.IO.File.Exists(path) && StoreFiles.TryReadText(path) is { } existing)
            {
                ThrowIfChanged(meta, param, existing);
                return false;
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            }
            catch (IOException)
            {
                throw MlflowException.InvalidParameter($"Param key '{KeyFiles.Excerpt(param.Key)}' cannot be stored: a part of it is already used as a key of its own.");
            }

            if (StoreFiles.TryCreate(path, value, meta.Directory))
            {
                return true;
            }

            // Another writer created it between our read and our create: compare with what it wrote.
        }

        return false;
    }

    /// <summary>Reads a run's dataset inputs from <c>inputs/</c> and the experiment's <c>datasets/</c>.</summary>
    private static List<DatasetInput> ReadDatasetInputs(string runDirectory)
    {
        var result = new List<DatasetInput>();
        var inputs = Path.Combine(runDirectory, "inputs");
        if (!Directory.Exists(inputs))
        {
            return result;
        }

        var datasets = Path.Combine(Path.GetDirectoryName(runDirectory)!, "datasets");
        foreach (var inputDirectory in Directory.EnumerateDirectories(inputs))
        {
            if (StoreFiles.TryReadMeta(Path.Combine(inputDirectory, MetaFileName)) is not { Length: > 0 } text)
            {
                continue;
            }

            MetaYamlDocument input;
            try
            {
                input = MetaYamlDocument.Parse(text);
            }
            catch (FormatException)
            {
                continue;
            }

            var sourceId = input.GetString("source_id");
            if (input.GetString("source_type") != "DATASET" || sourceId is null || sourceId.Contains('/', StringComparison.Ordinal) || sourceId.Contains('\\', StringComparison.Ordinal) || sourceId is "." or "..")
            {
                continue;
            }

            if (StoreFiles.TryReadMeta(Path.Combine(datasets, sourceId, MetaFileName)) is not { Length: > 0 } datasetText)
            {
                continue;
            }

            MetaYamlDocument dataset;
            try
            {
                dataset = MetaYamlDocument.Parse(datasetText);
            }
            catch (FormatException)
            {
                continue;
            }

            var tags = input.GetMapping("tags").Select(t => new InputTag(t.Key, t.Value ?? string.Empty)).ToList();
            result.Add(new DatasetInput(
                new Dataset(
                    dataset.GetString("name") ?? string.Empty,
                    dataset.GetString("digest") ?? string.Empty,
                    dataset.GetString("source_type") ?? string.Empty,
                    dataset.GetString("source") ?? string.Empty,
                    dataset.GetString("schema"),
                    dataset.GetString("profile")),
                tags));
        }

        return result;
    }

    private static string Md5Hex(string text) =>
#pragma warning disable CA5351 // MD5 names dataset folders as MLflow does; it is not used for security.
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
