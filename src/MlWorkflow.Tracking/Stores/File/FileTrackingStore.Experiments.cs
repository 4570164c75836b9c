using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.File;

public sealed partial class FileTrackingStore
{
    /// <inheritdoc />
    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation = null, IReadOnlyList<ExperimentTag>? tags = null, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentName(name);
        foreach (var tag in tags ?? [])
        {
            TrackingValidation.ValidateExperimentTag(tag);
        }

        var location = TrackingValidation.ResolveArtifactLocation(artifactLocation);
        EnsureInitialized();
        using var gate = await EnterExperimentLockAsync(cancellationToken).ConfigureAwait(false);
        return Guard(() =>
        {
            ThrowIfNameTaken(name, exceptId: null);
            string id;
            string directory;
            do
            {
                id = Random.Shared.NextInt64(100_000_000_000_000_000, 1_000_000_000_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
                directory = Path.Combine(RootDirectory, id);
            }
            while (Directory.Exists(directory) || Directory.Exists(Path.Combine(TrashDirectory, id)));

            Directory.CreateDirectory(directory);
            var now = Now();
            var text = ExperimentMetaText(id, name, location ?? FileUris.Append(ArtifactRootUri, id), LifecycleStage.Active, now, now, tags: null);
            if (!StoreFiles.TryCreate(Path.Combine(directory, MetaFileName), text, directory))
            {
                throw new MlflowException(ErrorCode.InternalError, $"Experiment folder '{directory}' was created by someone else at the same time.");
            }

            foreach (var tag in tags ?? [])
            {
                KeyFiles.Write(Path.Combine(directory, "tags"), tag.Key, ValueOrEmpty(tag.Value), directory);
            }

            if (location is null)
            {
                CreateOutsideArtifactFolder(id);
            }

            return id;
        });
    }

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentId(experimentId);
        EnsureInitialized();
        return await Run(() => ReadExperimentById(experimentId)?.ToExperiment(ReadExperimentTags(experimentId))
            ?? throw MlflowException.NotFound($"Could not find experiment with ID {experimentId}"), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        EnsureInitialized();
        return await Run(() =>
        {
            var matches = ListExperimentMetas(ViewType.All).Where(e => e.Name == name).ToList();
            var best = matches.FirstOrDefault(e => e.LifecycleStage == LifecycleStage.Active) ?? matches.FirstOrDefault();
            return best?.ToExperiment(ReadTagFolder(Path.Combine(best.Directory, "tags")).Select(t => new ExperimentTag(t.Key, t.Value)).ToList());
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentId(experimentId);
        TrackingValidation.ValidateExperimentName(newName);
        EnsureInitialized();
        using var gate = await EnterExperimentLockAsync(cancellationToken).ConfigureAwait(false);
        Guard(() =>
        {
            var meta = ReadExperimentById(experimentId) ?? throw MlflowException.NotFound($"Could not find experiment with ID {experimentId}");
            if (meta.LifecycleStage != LifecycleStage.Active)
            {
                throw new MlflowException(ErrorCode.InvalidState, $"Cannot rename experiment {experimentId}: it is deleted. Restore it first.");
            }

            ThrowIfNameTaken(newName, experimentId);
            WriteExperimentMeta(meta with { Name = newName, LastUpdateTime = Now() }, includeTags: true);
        });
    }

    /// <inheritdoc />
    public async Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentId(experimentId);
        if (experimentId == Experiment.DefaultExperimentId)
        {
            throw MlflowException.InvalidParameter($"Cannot delete the default experiment '{Experiment.DefaultExperimentId}'. This is an internally reserved experiment.");
        }

        EnsureInitialized();
        using var gate = await EnterExperimentLockAsync(cancellationToken).ConfigureAwait(false);
        Guard(() =>
        {
            var directory = Path.Combine(RootDirectory, experimentId);
            var meta = ReadExperimentMeta(directory, experimentId, inTrash: false) ?? throw MlflowException.NotFound($"Could not find experiment with ID {experimentId}");
            var target = Path.Combine(TrashDirectory, experimentId);
            if (Directory.Exists(target))
            {
                throw new MlflowException(ErrorCode.InvalidState, $"Cannot delete experiment {experimentId}: '{target}' already exists. Remove it from .trash first.");
            }

            var now = Now();
            foreach (var run in ListRunMetas(meta))
            {
                if (run.Info.LifecycleStage == LifecycleStage.Active)
                {
                    WriteRunMeta(run with { Info = run.Info with { LifecycleStage = LifecycleStage.Deleted }, DeletedTime = now, WriteDeletedTime = true });
                }
            }

            WriteExperimentMeta(meta with { LifecycleStage = LifecycleStage.Deleted, LastUpdateTime = now }, includeTags: true);
            Directory.Move(directory, target);
            ForgetRunsUnder(directory);
            InvalidateSearchCache();
        });
    }

    /// <inheritdoc />
    public async Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentId(experimentId);
        EnsureInitialized();
        using var gate = await EnterExperimentLockAsync(cancellationToken).ConfigureAwait(false);
        Guard(() =>
        {
            var trashed = Path.Combine(TrashDirectory, experimentId);
            var meta = ReadExperimentMeta(trashed, experimentId, inTrash: true) ?? throw MlflowException.NotFound($"Could not find deleted experiment with ID {experimentId}");
            var target = Path.Combine(RootDirectory, experimentId);
            if (Directory.Exists(target))
            {
                throw new MlflowException(ErrorCode.InvalidState, $"Cannot restore experiment with ID {experimentId}. An experiment with same ID already exists.");
            }

            Directory.Move(trashed, target);
            ForgetRunsUnder(trashed);
            var restored = meta with { Directory = target, InTrash = false, LifecycleStage = LifecycleStage.Active, LastUpdateTime = Now() };
            WriteExperimentMeta(restored, includeTags: true);
            foreach (var run in ListRunMetas(restored))
            {
                if (run.Info.LifecycleStage == LifecycleStage.Deleted)
                {
                    WriteRunMeta(run with { Info = run.Info with { LifecycleStage = LifecycleStage.Active }, DeletedTime = null, WriteDeletedTime = false });
                }
            }

            InvalidateSearchCache();
        });
    }

    /// <inheritdoc />
    public async Task SetExperimentTagAsync(string experimentId, ExperimentTag tag, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentId(experimentId);
        TrackingValidation.ValidateExperimentTag(tag);
        EnsureInitialized();
        await Run(() =>
        {
            var meta = ReadExperimentById(experimentId) ?? throw MlflowException.NotFound($"Could not find experiment with ID {experimentId}");
            if (meta.LifecycleStage != LifecycleStage.Active)
            {
                throw MlflowException.InvalidParameter($"The experiment {experimentId} must be in the 'active' state. Current state is deleted.");
            }

            KeyFiles.Write(Path.Combine(meta.Directory, "tags"), tag.Key, ValueOrEmpty(tag.Value), meta.Directory, "Experiment tag");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates <c>&lt;default artifact root&gt;/&lt;id&gt;</c> when that root is outside the store, so that a store opened without the
    /// root never reads the location as a moved store's (a <c>&lt;old root&gt;/&lt;id&gt;</c> that is gone).
    /// </summary>
    private void CreateOutsideArtifactFolder(string experimentId)
    {
        if (!IsRemoteRoot(ArtifactRootUri) && !string.Equals(ArtifactRootUri, FileUris.FromPath(RootDirectory), StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.Combine(FileUris.ToPath(ArtifactRootUri), experimentId));
        }
    }

    private void ThrowIfNameTaken(string name, string? exceptId)
    {
        foreach (var experiment in ListExperimentMetas(ViewType.All))
        {
            if (experiment.Name == name && experiment.Id != exceptId)
            {
                throw experiment.LifecycleStage == LifecycleStage.Active
                    ? MlflowException.AlreadyExists($"Experiment '{name}' already exists.")
                    : MlflowException.AlreadyExists($"Experiment '{name}' already exists in deleted state. You can restore the experiment, or permanently delete the experiment from the .trash folder (under tracking server's root folder) in order to use this experiment name again.");
            }
        }
    }

    private ExperimentMeta? ReadExperimentById(string experimentId) =>
        ReadExperimentMeta(Path.Combine(RootDirectory, experimentId), experimentId, inTrash: false)
        ?? ReadExperimentMeta(Path.Combine(TrashDirectory, experimentId), experimentId, inTrash: true);

    private List<ExperimentTag> ReadExperimentTags(string experimentId)
    {
        var meta = ReadExperimentById(experimentId);
        return meta is null ? [] : ReadTagFolder(Path.Combine(meta.Directory, "tags")).Select(t => new ExperimentTag(t.Key, t.Value)).ToList();
    }

    /// <summary>Every readable experiment: active ones in the root, deleted ones in <c>.trash</c>.</summary>
    private List<ExperimentMeta> ListExperimentMetas(ViewType viewType)
    {
        var result = new List<ExperimentMeta>();
        if (viewType != ViewType.DeletedOnly)
        {
            AddFrom(RootDirectory, inTrash: false);
        }

        if (viewType != ViewType.ActiveOnly)
        {
            AddFrom(TrashDirectory, inTrash: true);
        }

        return result;

        void AddFrom(string parent, bool inTrash)
        {
            if (!Directory.Exists(parent))
            {
                return;
            }

            foreach (var directory in Directory.EnumerateDirectories(parent))
            {
                var name = Path.GetFileName(directory);
                if (!inTrash && (name == TrashFolderName || name == ModelsFolderName))
                {
                    continue;
                }

                if (ReadExperimentMeta(directory, name, inTrash) is { } meta)
                {
                    result.Add(meta);
                }
            }
        }
    }

    /// <summary>Reads an experiment's meta.yaml; null when missing, unreadable, or its id is not the folder name.</summary>
    private ExperimentMeta? ReadExperimentMeta(string directory, string expectedId, bool inTrash)
    {
        var text = StoreFiles.TryReadMeta(Path.Combine(directory, MetaFileName));
        var yaml = MetaYamlDocument.TryParse(text);
        if (yaml is null)
        {
            return null;
        }

        var id = yaml.GetString("experiment_id");
        var name = yaml.GetString("name");
        if (id != expectedId || name is null)
        {
            return null;
        }

        var stored = yaml.GetString("artifact_location") ?? FileUris.Append(ArtifactRootUri, id);
        var stage = yaml.GetString("lifecycle_stage") == "deleted" ? LifecycleStage.Deleted : LifecycleStage.Active;
        return new ExperimentMeta(id, name, stored, Relocate(stored, id), stage, yaml.GetInt64("creation_time"), yaml.GetInt64("last_update_time"), directory, inTrash);
    }

    /// <summary>
    /// The artifact location to use for a stored one: a <c>file:</c> location <c>&lt;old root&gt;/&lt;id&gt;</c> whose old
    /// root holds no such experiment any more (the store was moved or copied) becomes <c>&lt;this root&gt;/&lt;id&gt;</c>.
    /// </summary>
    private string Relocate(string stored, string experimentId)
    {
        if (!stored.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && (FileUris.HasScheme(stored) || !Path.IsPathRooted(stored)))
        {
            return stored;
        }

        var own = FileUris.Append(FileUris.FromPath(RootDirectory), experimentId);
        if (stored == own || stored == FileUris.Append(ArtifactRootUri, experimentId))
        {
            return stored;
        }

        try
        {
            var path = FileUris.ToPath(stored);
            if (Path.GetFileName(path) != experimentId)
            {
                return stored;
            }

            var oldRoot = Path.GetDirectoryName(path);
            if (oldRoot is null || string.Equals(Path.TrimEndingDirectorySeparator(oldRoot), RootDirectory, StringComparison.Ordinal))
            {
                return stored;
            }

            // A folder that is there holds artifacts (a default artifact root outside the store): only a vanished location moved.
            var oldStoreStillThere = Directory.Exists(path) || System.IO.File.Exists(Path.Combine(path, MetaFileName)) || System.IO.File.Exists(Path.Combine(oldRoot, TrashFolderName, experimentId, MetaFileName));
            return oldStoreStillThere ? stored : own;
        }
        catch (Exception error) when (error is MlflowException or ArgumentException or IOException or NotSupportedException)
        {
            return stored;
        }
    }

    private static void WriteExperimentMeta(ExperimentMeta meta, bool includeTags)
    {
        Dictionary<string, string>? tags = null;
        if (includeTags)
        {
            tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in ReadTagFolder(Path.Combine(meta.Directory, "tags")))
            {
                tags[key] = value;
            }
        }

        var text = ExperimentMetaText(meta.Id, meta.Name, meta.StoredArtifactLocation, meta.LifecycleStage, meta.CreationTime, meta.LastUpdateTime, tags);
        StoreFiles.ReplaceAtomically(Path.Combine(meta.Directory, MetaFileName), text, meta.Directory);
    }

    private static string ExperimentMetaText(string id, string name, string artifactLocation, LifecycleStage stage, long? creationTime, long? lastUpdateTime, IReadOnlyDictionary<string, string>? tags)
    {
        var fields = new List<KeyValuePair<string, object?>>
        {
            new("artifact_location", artifactLocation),
            new("creation_time", creationTime),
            new("experiment_id", id),
            new("last_update_time", lastUpdateTime),
            new("lifecycle_stage", stage == LifecycleStage.Active ? "active" : "deleted"),
            new("name", name),
        };
        if (tags is not null)
        {
            fields.Add(new("tags", tags));
        }

        return MetaYamlWriter.Write(fields);
    }

    /// <summary>Reads every key file under a tags (or params) folder.</summary>
    private static List<KeyValuePair<string, string>> ReadTagFolder(string folder)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (key, path) in KeyFiles.Enumerate(folder))
        {
            if (StoreFiles.TryReadText(path) is { } value)
            {
                result.Add(new(key, value));
            }
        }

        return result;
    }

    /// <summary>An experiment's meta.yaml as read, with its folder.</summary>
    private sealed record ExperimentMeta(
        string Id,
        string Name,
        string StoredArtifactLocation,
        string ArtifactLocation,
        LifecycleStage LifecycleStage,
        long? CreationTime,
        long? LastUpdateTime,
        string Directory,
        bool InTrash)
    {
        public Experiment ToExperiment(IReadOnlyList<ExperimentTag> tags) =>
            new(Id, Name, ArtifactLocation, LifecycleStage, CreationTime, LastUpdateTime, tags);
    }

    /// <summary>The experiment-name lock (<c>.mlworkflow-experiments.lock</c> in the root): one creator or renamer at a time, across processes.</summary>
    private Task<StoreLock> EnterExperimentLockAsync(CancellationToken cancellationToken) =>
        StoreLock.AcquireAsync(_experimentLock, Path.Combine(RootDirectory, LockFileName), "experiment", cancellationToken);
}
