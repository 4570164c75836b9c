using System.Globalization;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>Model versions: create, get, update, delete, tags, stages, latest versions, search, download URI.</summary>
public sealed partial class FileModelRegistryStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<ModelVersionStage>? stages = null, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        var wanted = stages is null || stages.Count == 0 ? ModelVersionStages.All : stages;
        return await Read<IReadOnlyList<ModelVersion>>(
            () =>
            {
                _ = ReadModelMeta(directory, name);
                var aliases = ReadAliases(directory);
                return LatestVersions(directory, wanted).Select(v => ToEntity(directory, v, aliases)).ToArray();
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> CreateModelVersionAsync(CreateModelVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Name;
        var directory = ModelDirectory(name);
        RegistryValidation.ValidateNewVersion(request);

        var storageLocation = request.Source;
        if (ModelUri.IsModelsUri(request.Source))
        {
            storageLocation = await ModelUri.ResolveSourceDownloadUriAsync(this, request.Source, cancellationToken).ConfigureAwait(false);
        }

        return await WriteAsync(
            () =>
            {
                var meta = ReadModelMeta(directory, name);
                var now = Now();
                var version = NextVersion(directory);
                while (true)
                {
                    var versionDirectory = VersionDirectory(directory, version);
                    Directory.CreateDirectory(versionDirectory);
                    var stored = new StoredModelVersion(
                        name, version, now, now, ModelVersionStage.None.ToWireName(), request.Description, request.Source, request.RunId,
                        request.RunLink, ModelVersionStatus.Ready.ToWireName(), null, storageLocation, null);
                    if (StoreFiles.TryCreate(Path.Combine(versionDirectory, MetaFileName), MetaYamlWriter.Write(stored.ToMetaFields()), versionDirectory))
                    {
                        break;
                    }

                    version++; // taken by a writer outside the gate: the next number
                }

                WriteModelMeta(directory, meta with { LastUpdatedTimestamp = Math.Max(now, meta.LastUpdatedTimestamp) });
                foreach (var tag in request.Tags)
                {
                    KeyFiles.Write(Path.Combine(VersionDirectory(directory, version), TagsFolderName), tag.Key, tag.Value, VersionDirectory(directory, version));
                }

                return ToEntity(directory, ReadLiveVersion(directory, name, version));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        return await Read(
            () =>
            {
                _ = ReadModelMeta(directory, name);
                return ToEntity(directory, ReadLiveVersion(directory, name, version));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> UpdateModelVersionAsync(string name, int version, string? description, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        return await WriteAsync(
            () =>
            {
                _ = ReadModelMeta(directory, name);
                var stored = ReadLiveVersion(directory, name, version) with { Description = description };
                stored = stored with { LastUpdatedTimestamp = Math.Max(Now(), stored.LastUpdatedTimestamp) };
                WriteVersionMeta(directory, stored);
                return ToEntity(directory, stored);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteModelVersionAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        await WriteAsync(
            () =>
            {
                var meta = ReadModelMeta(directory, name);
                var stored = ReadLiveVersion(directory, name, version);
                var now = Now();

                // As MLflow: the folder stays (its number is never reused), hidden by the stage, its references redacted.
                WriteVersionMeta(directory, stored with
                {
                    Stage = StoredModelVersion.DeletedStage,
                    LastUpdatedTimestamp = Math.Max(now, stored.LastUpdatedTimestamp),
                    Description = null,
                    UserId = null,
                    Source = "REDACTED-SOURCE-PATH",
                    RunId = "REDACTED-RUN-ID",
                    RunLink = "REDACTED-RUN-LINK",
                    StatusMessage = null,
                });
                foreach (var alias in ReadAliases(directory).Where(a => a.Version == version))
                {
                    KeyFiles.Delete(Path.Combine(directory, AliasesFolderName), alias.Alias);
                }

                WriteModelMeta(directory, meta with { LastUpdatedTimestamp = Math.Max(now, meta.LastUpdatedTimestamp) });
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PagedList<ModelVersion>> SearchModelVersionsAsync(SearchModelVersionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = ModelVersionSearchQuery.Parse(request.Filter, request.OrderBy);
        return await ReadInBackground(
            () =>
            {
                var versions = new List<ModelVersion>();
                foreach (var (_, directory) in ModelDirectories())
                {
                    if (TryReadModelMeta(directory) is null)
                    {
                        continue;
                    }

                    var aliases = ReadAliases(directory);
                    foreach (var (_, versionDirectory) in VersionDirectories(directory))
                    {
                        if (TryReadVersion(versionDirectory) is { IsDeleted: false } stored)
                        {
                            var version = ToEntity(directory, stored, aliases);
                            if (query.Matches(version))
                            {
                                versions.Add(version);
                            }
                        }
                    }
                }

                versions.Sort(query.Comparer);
                return SearchPageToken.Page(versions, request.MaxResults, request.PageToken, SearchModelVersionsRequest.MaxResultsLimit);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> TransitionModelVersionStageAsync(string name, int version, ModelVersionStage stage, bool archiveExistingVersions, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        var target = stage.ToWireName();
        if (archiveExistingVersions && stage is not (ModelVersionStage.Staging or ModelVersionStage.Production))
        {
            throw MlflowException.InvalidParameter(
                $"Model version transition cannot archive existing model versions because '{target}' is not an active stage. Valid stages are Staging and Production.");
        }

        return await WriteAsync(
            () =>
            {
                var meta = ReadModelMeta(directory, name);
                var stored = ReadLiveVersion(directory, name, version);
                var now = Math.Max(Now(), meta.LastUpdatedTimestamp);
                if (archiveExistingVersions)
                {
                    foreach (var (number, versionDirectory) in VersionDirectories(directory))
                    {
                        if (number != version && TryReadVersion(versionDirectory) is { } other && other.Stage == target)
                        {
                            WriteVersionMeta(directory, other with { Stage = ModelVersionStage.Archived.ToWireName(), LastUpdatedTimestamp = Math.Max(now, other.LastUpdatedTimestamp) });
                        }
                    }
                }

                stored = stored with { Stage = target, LastUpdatedTimestamp = Math.Max(now, stored.LastUpdatedTimestamp) };
                WriteVersionMeta(directory, stored);
                WriteModelMeta(directory, meta with { LastUpdatedTimestamp = now });
                return ToEntity(directory, stored);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetModelVersionTagAsync(string name, int version, ModelVersionTag tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var directory = ModelDirectory(name);
        RegistryValidation.ValidateTag(tag.Key, tag.Value, "Model version tag");
        await WriteAsync(
            () =>
            {
                _ = ReadModelMeta(directory, name);
                _ = ReadLiveVersion(directory, name, version);
                var versionDirectory = VersionDirectory(directory, version);
                KeyFiles.Write(Path.Combine(versionDirectory, TagsFolderName), tag.Key, tag.Value, versionDirectory);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteModelVersionTagAsync(string name, int version, string key, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        Validation.TrackingValidation.ValidateKey(key, "Model version tag");
        await WriteAsync(
            () =>
            {
                _ = ReadModelMeta(directory, name);
                _ = ReadLiveVersion(directory, name, version);
                KeyFiles.Delete(Path.Combine(VersionDirectory(directory, version), TagsFolderName), key);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> GetModelVersionDownloadUriAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        return await Read(
            () =>
            {
                _ = ReadModelMeta(directory, name);
                var stored = ReadLiveVersion(directory, name, version);
                return string.IsNullOrEmpty(stored.StorageLocation) ? stored.Source : stored.StorageLocation;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>1 + the highest version folder holding a <c>meta.yaml</c>, deleted versions included; 1 for the first.</summary>
    private static int NextVersion(string directory)
    {
        var highest = 0;
        foreach (var (version, versionDirectory) in VersionDirectories(directory))
        {
            if (System.IO.File.Exists(Path.Combine(versionDirectory, MetaFileName)))
            {
                highest = Math.Max(highest, version);
            }
        }

        return checked(highest + 1);
    }
}
