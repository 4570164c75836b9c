using System.Globalization;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>The reading and writing of the registry's files.</summary>
public sealed partial class FileModelRegistryStore
{
    /// <summary>The fields of a registered model's <c>meta.yaml</c>.</summary>
    private sealed record ModelMeta(string Name, long CreationTimestamp, long LastUpdatedTimestamp, string? Description);

    /// <summary>Reads a model's <c>meta.yaml</c>; null when the folder or the file does not exist.</summary>
    private static ModelMeta? TryReadModelMeta(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, MetaFileName);
        var text = StoreFiles.TryReadMeta(path);
        if (text is null)
        {
            return null;
        }

        var meta = MetaYamlDocument.Parse(text);
        var created = meta.GetInt64("creation_timestamp") ?? 0;
        return new ModelMeta(
            meta.GetString("name") ?? Path.GetFileName(modelDirectory),
            created,
            meta.GetInt64("last_updated_timestamp") ?? created,
            meta.GetString("description"));
    }

    private static ModelMeta ReadModelMeta(string modelDirectory, string name) =>
        TryReadModelMeta(modelDirectory) ?? throw ModelNotFound(name);

    /// <summary>Rewrites a model's <c>meta.yaml</c> with the snapshot of its aliases, as MLflow does.</summary>
    private static void WriteModelMeta(string modelDirectory, ModelMeta meta, bool create = false)
    {
        var aliases = ReadAliases(modelDirectory).ToDictionary(
            a => a.Alias, a => a.Version.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var text = MetaYamlWriter.Write(
        [
            new("aliases", (IReadOnlyDictionary<string, string>)aliases),
            new("creation_timestamp", meta.CreationTimestamp),
            new("description", meta.Description),
            new("last_updated_timestamp", meta.LastUpdatedTimestamp),
            new("name", meta.Name),
        ]);
        var path = Path.Combine(modelDirectory, MetaFileName);
        if (create)
        {
            if (!StoreFiles.TryCreate(path, text, modelDirectory))
            {
                throw MlflowException.AlreadyExists($"Registered Model (name={meta.Name}) already exists.");
            }
        }
        else
        {
            StoreFiles.ReplaceAtomically(path, text, modelDirectory);
        }
    }

    /// <summary>Bumps a model's <c>last_updated_timestamp</c> (and refreshes its alias snapshot).</summary>
    private static void TouchModel(string modelDirectory, string name, long now)
    {
        var meta = ReadModelMeta(modelDirectory, name);
        WriteModelMeta(modelDirectory, meta with { LastUpdatedTimestamp = Math.Max(now, meta.LastUpdatedTimestamp) });
    }

    /// <summary>Every <c>version-&lt;n&gt;</c> folder of a model with its number, in increasing order.</summary>
    private static List<(int Version, string Directory)> VersionDirectories(string modelDirectory)
    {
        if (!Directory.Exists(modelDirectory))
        {
            return [];
        }

        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories(modelDirectory, VersionFolderPrefix + "*"))
        {
            var suffix = Path.GetFileName(directory)[VersionFolderPrefix.Length..];
            if (suffix.Length > 0 && suffix.All(char.IsAsciiDigit)
                && int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
            {
                found.Add((version, directory));
            }
        }

        found.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }

    /// <summary>Reads a version's <c>meta.yaml</c>, deleted or not; null when the folder or file does not exist.</summary>
    private static StoredModelVersion? TryReadVersion(string versionDirectory)
    {
        var path = Path.Combine(versionDirectory, MetaFileName);
        var text = StoreFiles.TryReadMeta(path);
        return text is null ? null : StoredModelVersion.FromMeta(MetaYamlDocument.Parse(text), path);
    }

    /// <summary>Reads a live version; throws <see cref="ErrorCode.ResourceDoesNotExist"/> for a missing or deleted one.</summary>
    private static StoredModelVersion ReadLiveVersion(string modelDirectory, string name, int version)
    {
        if (version < 1)
        {
            throw VersionNotFound(name, version);
        }

        var stored = TryReadVersion(VersionDirectory(modelDirectory, version));
        return stored is null || stored.IsDeleted ? throw VersionNotFound(name, version) : stored;
    }

    private static void WriteVersionMeta(string modelDirectory, StoredModelVersion version) =>
        StoreFiles.ReplaceAtomically(
            Path.Combine(VersionDirectory(modelDirectory, version.Version), MetaFileName),
            MetaYamlWriter.Write(version.ToMetaFields()),
            VersionDirectory(modelDirectory, version.Version));

    /// <summary>The public entity of a stored version, with its tags and the aliases that point to it.</summary>
    private static ModelVersion ToEntity(string modelDirectory, StoredModelVersion stored, IReadOnlyList<RegisteredModelAlias>? aliases = null)
    {
        var tags = KeyFiles.ReadAll(Path.Combine(VersionDirectory(modelDirectory, stored.Version), TagsFolderName))
            .Select(t => new ModelVersionTag(t.Key, t.Value))
            .ToArray();
        var names = (aliases ?? ReadAliases(modelDirectory)).Where(a => a.Version == stored.Version).Select(a => a.Alias).ToArray();
        return stored.ToEntity(tags, names);
    }

    /// <summary>Every alias of a model from <c>aliases/&lt;alias&gt;</c> (content: the version number), ordered by alias; unreadable files are skipped.</summary>
    private static List<RegisteredModelAlias> ReadAliases(string modelDirectory)
    {
        var folder = Path.Combine(modelDirectory, AliasesFolderName);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var aliases = new List<RegisteredModelAlias>();
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var alias = Path.GetFileName(file);
            if (alias.StartsWith(".tmp-", StringComparison.Ordinal))
            {
                continue;
            }

            var text = StoreFiles.TryReadText(file);
            if (text is not null && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                aliases.Add(new RegisteredModelAlias(alias, version));
            }
        }

        aliases.Sort((a, b) => string.CompareOrdinal(a.Alias, b.Alias));
        return aliases;
    }
}
