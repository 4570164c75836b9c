using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.File;

public sealed partial class FileTrackingStore
{
    private const string RunNameTag = "mlflow.runName";

    /// <inheritdoc />
    public async Task<Run> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        TrackingValidation.ValidateExperimentId(request.ExperimentId);
        var tags = request.Tags ?? [];
        foreach (var tag in tags)
        {
            TrackingValidation.ValidateTag(tag);
            KeyFiles.CheckNameBytes(tag.Key, "Tag");
        }

        KeyFiles.CheckNoPrefixConflicts(tags.Select(t => t.Key), "Tag");

        var tagName = tags.LastOrDefault(t => t.Key == RunNameTag)?.Value;
        if (request.RunName is not null && tagName is not null && request.RunName != tagName)
        {
            throw MlflowException.InvalidParameter($"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{request.RunName}', mlflow.runName='{tagName}').");
        }

        var runName = request.RunName ?? tagName;
        TrackingValidation.ValidateRunName(runName);
        if (string.IsNullOrEmpty(runName))
        {
            runName = RunNameGenerator.Generate();
        }

        if (request.StartTime is < 0)
        {
            throw MlflowException.InvalidParameter($"Invalid start time {request.StartTime}: it must be a non-negative number of milliseconds since the Unix epoch.");
        }

        EnsureInitialized();
        return await Run(() =>
        {
            var experiment = ReadExperimentById(request.ExperimentId) ?? throw MlflowException.NotFound($"Could not find experiment with ID {request.ExperimentId}");
            if (experiment.LifecycleStage != LifecycleStage.Active)
            {
                throw new MlflowException(ErrorCode.InvalidState, $"Could not create run under non-active experiment with ID {request.ExperimentId}.");
            }

            var runId = Guid.NewGuid().ToString("N");
            var directory = Path.Combine(experiment.Directory, runId);
            var storedUri = FileUris.Append(FileUris.Append(experiment.StoredArtifactLocation, runId), "artifacts");
            var info = new RunInfo(runId, experiment.Id, runName, request.UserId ?? string.Empty, RunStatus.Running, request.StartTime ?? Now(), null, RelocateRunUri(storedUri, experiment), LifecycleStage.Active);
            var meta = new RunMeta(info, storedUri, directory, DeletedTime: null, WriteDeletedTime: true);
            Directory.CreateDirectory(directory);
            if (!StoreFiles.TryCreate(Path.Combine(directory, MetaFileName), RunMetaText(meta), directory))
            {
                throw new MlflowException(ErrorCode.InternalError, $"Run folder '{runId}' already has a meta.yaml.");
            }

            Directory.CreateDirectory(Path.Combine(directory, "metrics"));
            Directory.CreateDirectory(Path.Combine(directory, "params"));
            Directory.CreateDirectory(Path.Combine(directory, "artifacts"));
            var finalTags = new List<RunTag>();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var tag in tags.Append(new RunTag(RunNameTag, runName)))
            {
                if (tag.Key == RunNameTag && seen.ContainsKey(RunNameTag))
                {
                    continue;
                }

                if (seen.TryGetValue(tag.Key, out var index))
                {
                    finalTags[index] = tag;
                }
                else
                {
                    seen[tag.Key] = finalTags.Count;
                    finalTags.Add(tag);
                }
            }

            foreach (var tag in finalTags)
            {
                KeyFiles.Write(Path.Combine(directory, "tags"), tag.Key, ValueOrEmpty(tag.Value), directory);
            }

            _runDirectories[runId] = directory;
            return new Run(info, new RunData([], [], finalTags), RunInputs.Empty);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        EnsureInitialized();
        return await Run(() => LoadRun(FindRun(runId)), cancellationToken).ConfigureAwait(false);
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

        EnsureInitialized();
        return await Run(() =>
        {
            var meta = FindActiveRun(runId);
            var name = string.IsNullOrEmpty(runName) ? meta.Info.RunName : runName;
            var updated = meta with { Info = meta.Info with { Status = status, EndTime = endTime ?? meta.Info.EndTime, RunName = name }, DeletedTime = null, WriteDeletedTime = false };
            WriteRunMeta(updated);
            if (!string.IsNullOrEmpty(runName))
            {
                KeyFiles.Write(Path.Combine(meta.Directory, "tags"), RunNameTag, runName, meta.Directory);
            }

            return updated.Info;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        EnsureInitialized();
        await Run(() =>
        {
            var meta = FindRun(runId);
            WriteRunMeta(meta with { Info = meta.Info with { LifecycleStage = LifecycleStage.Deleted }, DeletedTime = Now(), WriteDeletedTime = true });
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        EnsureInitialized();
        await Run(() =>
        {
            var meta = FindRun(runId);
            WriteRunMeta(meta with { Info = meta.Info with { LifecycleStage = LifecycleStage.Active }, DeletedTime = null, WriteDeletedTime = false });
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finds a run's folder and reads its meta.yaml.</summary>
    private RunMeta FindRun(string runId)
    {
        if (_runDirectories.TryGetValue(runId, out var cached) && ReadRunMeta(cached, null) is { } known && known.Info.RunId == runId)
        {
            return known;
        }

        _runDirectories.TryRemove(runId, out _);
        foreach (var experiment in ListExperimentMetas(ViewType.All))
        {
            var directory = Path.Combine(experiment.Directory, runId);
            if (!ReservedRunFolderNames.Contains(runId) && Directory.Exists(directory) && !KeyFiles.IsLink(directory) && ReadRunMeta(directory, experiment) is { } meta && meta.Info.RunId == runId)
            {
                _runDirectories[runId] = directory;
                return meta;
            }
        }

        throw MlflowException.NotFound($"Run '{runId}' not found");
    }

    private RunMeta FindActiveRun(string runId)
    {
        var meta = FindRun(runId);
        if (meta.Info.LifecycleStage != LifecycleStage.Active)
        {
            throw MlflowException.InvalidParameter($"The run {runId} must be in the 'active' state. Current state is deleted.");
        }

        return meta;
    }

    private void ForgetRunsUnder(string experimentDirectory)
    {
        foreach (var (runId, directory) in _runDirectories)
        {
            if (directory.StartsWith(experimentDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                _runDirectories.TryRemove(runId, out _);
            }
        }
    }

    /// <summary>All readable runs of an experiment folder (skips reserved folders, files and folders without a matching meta.yaml).</summary>
    private List<RunMeta> ListRunMetas(ExperimentMeta experiment)
    {
        var result = new List<RunMeta>();
        foreach (var directory in ListRunDirectories(experiment.Directory))
        {
            if (ReadRunMeta(directory, experiment) is { } meta)
            {
                result.Add(meta);
            }
        }

        return result;
    }

    /// <summary>The run folders of an experiment folder; links are skipped (a link planted in a store never leads out of it).</summary>
    private static IEnumerable<string> ListRunDirectories(string experimentDirectory) =>
        Directory.Exists(experimentDirectory)
            ? new DirectoryInfo(experimentDirectory).EnumerateDirectories()
                .Where(d => (d.Attributes & FileAttributes.ReparsePoint) == 0 && !ReservedRunFolderNames.Contains(d.Name))
                .Select(d => d.FullName)
            : [];

    /// <summary>Reads a run's meta.yaml; null when missing or unreadable, or its experiment id is not the parent folder's.</summary>
    private RunMeta? ReadRunMeta(string directory, ExperimentMeta? experiment) =>
        ParseRunMeta(StoreFiles.TryReadMeta(Path.Combine(directory, MetaFileName)), directory, experiment);

    private RunMeta? ParseRunMeta(string? text, string directory, ExperimentMeta? experiment)
    {
        var yaml = MetaYamlDocument.TryParse(text);
        if (yaml is null)
        {
            return null;
        }

        var experimentDirectory = Path.GetDirectoryName(directory)!;
        var experimentId = yaml.GetString("experiment_id");
        var runId = yaml.GetString("run_id") ?? yaml.GetString("run_uuid");
        var startTime = yaml.GetInt64("start_time");
        if (experimentId is null || experimentId != Path.GetFileName(experimentDirectory) || runId is null || startTime is null)
        {
            return null;
        }

        experiment ??= ReadExperimentMeta(experimentDirectory, experimentId, inTrash: Path.GetFileName(Path.GetDirectoryName(experimentDirectory)) == TrashFolderName);
        var storedUri = yaml.GetString("artifact_uri") ?? string.Empty;
        var status = yaml.GetInt64("status") is { } code && Enum.IsDefined((RunStatus)code) ? (RunStatus)code : RunStatus.Running;
        var runName = yaml.GetString("run_name");
        if (string.IsNullOrEmpty(runName))
        {
            runName = StoreFiles.TryReadText(Path.Combine(directory, "tags", RunNameTag)) ?? string.Empty;
        }

        var info = new RunInfo(
            runId,
            experimentId,
            runName,
            yaml.GetString("user_id") ?? string.Empty,
            status,
            startTime.Value,
            yaml.GetInt64("end_time"),
            experiment is null ? storedUri : RelocateRunUri(storedUri, experiment),
            yaml.GetString("lifecycle_stage") == "deleted" ? LifecycleStage.Deleted : LifecycleStage.Active);
        return new RunMeta(info, storedUri, directory, yaml.GetInt64("deleted_time"), yaml.Contains("deleted_time"));
    }

    private static string RelocateRunUri(string storedUri, ExperimentMeta experiment)
    {
        if (experiment.ArtifactLocation == experiment.StoredArtifactLocation)
        {
            return storedUri;
        }

        var prefix = experiment.StoredArtifactLocation.TrimEnd('/') + "/";
        return storedUri.StartsWith(prefix, StringComparison.Ordinal)
            ? FileUris.Append(experiment.ArtifactLocation, storedUri[prefix.Length..])
            : storedUri;
    }

    private void WriteRunMeta(RunMeta meta)
    {
        StoreFiles.ReplaceAtomically(Path.Combine(meta.Directory, MetaFileName), RunMetaText(meta), meta.Directory);
        RunChanged(meta.Directory);
    }

    private static string RunMetaText(RunMeta meta)
    {
        var info = meta.Info;
        var fields = new List<KeyValuePair<string, object?>>
        {
            new("artifact_uri", meta.StoredArtifactUri),
            new("end_time", info.EndTime),
            new("entry_point_name", string.Empty),
            new("experiment_id", info.ExperimentId),
            new("lifecycle_stage", info.LifecycleStage == LifecycleStage.Active ? "active" : "deleted"),
            new("run_id", info.RunId),
            new("run_name", info.RunName),
            new("run_uuid", info.RunId),
            new("source_name", string.Empty),
            new("source_type", 4),
            new("source_version", string.Empty),
            new("start_time", info.StartTime),
            new("status", (int)info.Status),
            new("tags", MetaYamlWriter.EmptyList),
            new("user_id", info.UserId),
        };
        if (meta.WriteDeletedTime)
        {
            fields.Add(new("deleted_time", meta.DeletedTime));
        }

        return MetaYamlWriter.Write(fields);
    }

    /// <summary>Loads a whole run: info, latest metrics, params, tags and dataset inputs.</summary>
    private Run LoadRun(RunMeta meta)
    {
        var directory = meta.Directory;
        var metrics = new List<Metric>();
        foreach (var (key, path) in KeyFiles.Enumerate(Path.Combine(directory, "metrics")))
        {
            if (MetricFileReader.ReadLatest(path, key) is { } latest)
            {
                metrics.Add(latest);
            }
        }

        var parameters = ReadTagFolder(Path.Combine(directory, "params")).Select(p => new Param(p.Key, p.Value)).ToList();
        var tags = ReadTagFolder(Path.Combine(directory, "tags")).Select(t => new RunTag(t.Key, t.Value)).ToList();
        return new Run(meta.Info, new RunData(metrics, parameters, tags), new RunInputs(ReadDatasetInputs(directory)));
    }

    /// <summary>A run's meta.yaml as read: the info (artifact URI relocated), the URI as stored, and the deletion time.</summary>
    internal sealed record RunMeta(RunInfo Info, string StoredArtifactUri, string Directory, long? DeletedTime, bool WriteDeletedTime);
}
