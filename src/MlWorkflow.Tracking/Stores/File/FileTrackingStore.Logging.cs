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
            try
            {
                foreach (var param in parameters)
                {
                    LogParam(meta, param);
                }

                AppendMetrics(directory, metrics);
                var lastTags = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var tag in tags)
                {
                    lastTags[tag.Key] = ValueOrEmpty(tag.Value);
                }

                foreach (var (key, value) in lastTags)
                {
                    KeyFiles.Write(Path.Combine(directory, "tags"), key, value, directory);
                }

                if (lastTags.TryGetValue(RunNameTag, out var newName) && newName != meta.Info.RunName)
                {
                    WriteRunMeta(meta with { Info = meta.Info with { RunName = newName }, DeletedTime = null, WriteDeletedTime = false });
                }
            }
            finally
            {
                RunChanged(directory);
            }
        }, cancellationToken).ConfigureAwait(false);
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
            var path = KeyFiles.PathOf(Path.Combine(meta.Directory, "metrics"), metricKey);
            var history = System.IO.File.Exists(path) && StoreFiles.TryReadText(path) is { } content ? MetricFileFormat.Parse(metricKey, content) : [];
            if (maxResults is null)
            {
                return string.IsNullOrEmpty(pageToken) ? new PagedList<Metric>(history, null) : SearchPageToken.Page(history, int.MaxValue, pageToken, int.MaxValue);
            }

            return SearchPageToken.Page(history, maxResults.Value, pageToken, int.MaxValue);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static void LogParam(RunMeta meta, Param param)
    {
        var folder = Path.Combine(meta.Directory, "params");
        var path = KeyFiles.PathOf(folder, param.Key);
        var value = ValueOrEmpty(param.Value);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (System.IO.File.Exists(path) && StoreFiles.TryReadText(path) is { } existing)
            {
                if (existing != value)
                {
                    throw MlflowException.InvalidParameter($"Changing param values is not allowed. Param with key='{param.Key}' was already logged with value='{existing}' for run ID='{meta.Info.RunId}'. Attempted logging new value '{value}'.");
                }

                return;
            }

            var parent = Path.GetDirectoryName(path)!;
            try
            {
                Directory.CreateDirectory(parent);
            }
            catch (IOException error)
            {
                throw MlflowException.InvalidParameter($"Param key '{param.Key}' cannot be stored: a part of it is already used as a key of its own ({error.Message}).");
            }

            if (Directory.Exists(path))
            {
                throw MlflowException.InvalidParameter($"Param key '{param.Key}' cannot be stored: it is already a prefix of other keys.");
            }

            if (StoreFiles.TryCreate(path, value, meta.Directory))
            {
                return;
            }

            // Another writer created it between our read and our create: compare with what it wrote.
        }
    }

    /// <summary>Appends each key's lines with one write call per metric file.</summary>
    private static void AppendMetrics(string runDirectory, IReadOnlyList<Metric> metrics)
    {
        if (metrics.Count == 0)
        {
            return;
        }

        var folder = Path.Combine(runDirectory, "metrics");
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

        foreach (var key in order)
        {
            var path = KeyFiles.PathOf(folder, key);
            if (Directory.Exists(path))
            {
                throw MlflowException.InvalidParameter($"Metric key '{key}' cannot be stored: it is already a prefix of other keys.");
            }

            for (var slash = key.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = key.IndexOf('/', slash + 1))
            {
                if (System.IO.File.Exists(KeyFiles.PathOf(folder, key[..slash])))
                {
                    throw MlflowException.InvalidParameter($"Metric key '{key}' cannot be stored: '{key[..slash]}' is already a metric of its own.");
                }
            }

            var bytes = StoreFiles.Encode(byKey[key].ToString());
            try
            {
                StoreFiles.Append(path, bytes);
            }
            catch (DirectoryNotFoundException)
            {
                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                }
                catch (IOException error)
                {
                    throw MlflowException.InvalidParameter($"Metric key '{key}' cannot be stored: a part of it is already used as a key of its own ({error.Message}).");
                }

                StoreFiles.Append(path, bytes);
            }
        }
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
