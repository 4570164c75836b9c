using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>Registered models: create, get, rename, update, delete, tags, aliases, search.</summary>
public sealed partial class FileModelRegistryStore
{
    /// <inheritdoc />
    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, IReadOnlyList<RegisteredModelTag>? tags = null, string? description = null, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        foreach (var tag in tags ?? [])
        {
            ArgumentNullException.ThrowIfNull(tag, nameof(tags));
            RegistryValidation.ValidateTag(tag.Key, tag.Value, "Registered model tag");
        }

        return await WriteAsync(
            () =>
            {
                if (TryReadModelMeta(directory) is not null)
                {
                    throw MlflowException.AlreadyExists($"Registered Model (name={name}) already exists.");
                }

                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true); // the leftover of a delete that did not finish
                }

                Directory.CreateDirectory(directory);
                var now = Now();
                WriteModelMeta(directory, new ModelMeta(name, now, now, description), create: true);
                foreach (var tag in tags ?? [])
                {
                    KeyFiles.Write(Path.Combine(directory, TagsFolderName), tag.Key, tag.Value, directory);
                }

                return LoadModel(directory, name);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        return await Read(() => LoadModel(directory, name), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        RegistryValidation.ValidateModelName(newName, "New registered model name");
        var newDirectory = ModelDirectory(newName);
        return await WriteAsync(
            () =>
            {
                var meta = ReadModelMeta(directory, name);
                if (TryReadModelMeta(newDirectory) is not null || string.Equals(directory, newDirectory, StringComparison.Ordinal))
                {
                    throw MlflowException.AlreadyExists($"Registered Model (name={newName}) already exists.");
                }

                if (Directory.Exists(newDirectory))
                {
                    Directory.Delete(newDirectory, recursive: true); // the leftover of a delete that did not finish
                }

                Directory.Move(directory, newDirectory);
                var now = Now();
                WriteModelMeta(newDirectory, meta with { Name = newName, LastUpdatedTimestamp = now });
                foreach (var (_, versionDirectory) in VersionDirectories(newDirectory))
                {
                    if (TryReadVersion(versionDirectory) is { } stored)
                    {
                        WriteVersionMeta(newDirectory, stored with { Name = newName });
                    }
                }

                return LoadModel(newDirectory, newName);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        return await WriteAsync(
            () =>
            {
                var meta = ReadModelMeta(directory, name);
                WriteModelMeta(directory, meta with { Description = description, LastUpdatedTimestamp = Now() });
                return LoadModel(directory, name);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        await WriteAsync(
            () =>
            {
                _ = ReadModelMeta(directory, name);

                // Without its meta.yaml the model is gone for every reader at once; then the folder goes.
                System.IO.File.Delete(Path.Combine(directory, MetaFileName));
                Directory.Delete(directory, recursive: true);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PagedList<RegisteredModel>> SearchRegisteredModelsAsync(SearchRegisteredModelsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = RegisteredModelSearchQuery.Parse(request.Filter, request.OrderBy);
        return await ReadInBackground(
            () =>
            {
                var models = new List<RegisteredModel>();
                foreach (var (name, directory) in ModelDirectories())
                {
                    var model = TryLoadModel(directory, name);
                    if (model is not null && query.Matches(model))
                    {
                        models.Add(model);
                    }
                }

                models.Sort(query.Comparer);
                return SearchPageToken.Page(models, request.MaxResults, request.PageToken, SearchRegisteredModelsRequest.MaxResultsLimit);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetRegisteredModelTagAsync(string name, RegisteredModelTag tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var directory = ModelDirectory(name);
        RegistryValidation.ValidateTag(tag.Key, tag.Value, "Registered model tag");
        await WriteAsync(
            () =>
            {
                var meta = ReadModelMeta(directory, name);
                KeyFiles.Write(Path.Combine(directory, TagsFolderName), tag.Key, tag.Value, directory);
                WriteModelMeta(directory, meta with { LastUpdatedTimestamp = Now() });
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        Validation.TrackingValidation.ValidateKey(key, "Registered model tag");
        await WriteAsync(
            () =>
            {
                var meta = ReadModelMeta(directory, name);
                if (KeyFiles.Delete(Path.Combine(directory, TagsFolderName), key))
                {
                    WriteModelMeta(directory, meta with { LastUpdatedTimestamp = Now() });
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetRegisteredModelAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        RegistryValidation.ValidateAlias(alias);
        await WriteAsync(
            () =>
            {
                var meta = ReadModelMeta(directory, name);
                _ = ReadLiveVersion(directory, name, version);
                KeyFiles.Write(Path.Combine(directory, AliasesFolderName), alias, version.ToString(System.Globalization.CultureInfo.InvariantCulture), directory, "Alias");
                WriteModelMeta(directory, meta with { LastUpdatedTimestamp = Now() });
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteRegisteredModelAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        RegistryValidation.ValidateAlias(alias);
        await WriteAsync(
            () =>
            {
                var meta = ReadModelMeta(directory, name);
                if (KeyFiles.Delete(Path.Combine(directory, AliasesFolderName), alias))
                {
                    WriteModelMeta(directory, meta with { LastUpdatedTimestamp = Now() });
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        var directory = ModelDirectory(name);
        RegistryValidation.ValidateAlias(alias);
        return await Read(
            () =>
            {
                _ = ReadModelMeta(directory, name);
                var aliases = ReadAliases(directory);
                var match = aliases.FirstOrDefault(a => a.Alias == alias)
                    ?? throw MlflowException.InvalidParameter($"Registered model alias {alias} not found (model '{name}' has {(aliases.Count == 0 ? "no aliases" : "the aliases " + string.Join(", ", aliases.Select(a => a.Alias)))}).");
                return ToEntity(directory, ReadLiveVersion(directory, name, match.Version), aliases);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every model folder under <c>models/</c> whose name is a valid model name, as (name, folder).</summary>
    private IEnumerable<(string Name, string Directory)> ModelDirectories()
    {
        if (!Directory.Exists(ModelsDirectory))
        {
            yield break;
        }

        foreach (var directory in Directory.EnumerateDirectories(ModelsDirectory))
        {
            var name = Path.GetFileName(directory);
            if (!name.StartsWith(".tmp-", StringComparison.Ordinal))
            {
                yield return (name, directory);
            }
        }
    }

    private static RegisteredModel LoadModel(string directory, string name) =>
        TryLoadModel(directory, name) ?? throw ModelNotFound(name);

    /// <summary>A model with its tags, aliases and latest version per stage; null when it has no <c>meta.yaml</c>.</summary>
    private static RegisteredModel? TryLoadModel(string directory, string name)
    {
        var meta = TryReadModelMeta(directory);
        if (meta is null)
        {
            return null;
        }

        var aliases = ReadAliases(directory);
        var tags = KeyFiles.ReadAll(Path.Combine(directory, TagsFolderName)).Select(t => new RegisteredModelTag(t.Key, t.Value)).ToArray();
        var latest = LatestVersions(directory, ModelVersionStages.All).Select(v => ToEntity(directory, v, aliases)).ToArray();
        return new RegisteredModel(meta.Name, meta.CreationTimestamp, meta.LastUpdatedTimestamp, meta.Description, latest, tags, aliases);
    }

    /// <summary>The highest live version in each of the stages, in the order of the stages.</summary>
    private static List<StoredModelVersion> LatestVersions(string directory, IReadOnlyList<ModelVersionStage> stages) =>
        ModelVersionStages.LatestPerStage(
            VersionDirectories(directory).Select(v => TryReadVersion(v.Directory)).OfType<StoredModelVersion>().Where(v => !v.IsDeleted),
            v => v.Stage,
            v => v.Version,
            stages);
}
