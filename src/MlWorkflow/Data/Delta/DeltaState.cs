using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlWorkflow.Data.Delta;

/// <summary>The reconciled log state while replaying: the latest protocol and metadata, and the live files keyed by path and
/// deletion-vector id. Every field is read with its type checked where the action is applied, so a malformed field is named with
/// its commit file and line.</summary>
internal sealed class DeltaState(string root)
{
    private readonly Dictionary<(string Path, string? Dv), LiveFile> _files = [];

    public int? MinReaderVersion { get; private set; }

    public IReadOnlyList<string> ReaderFeatures { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Configuration { get; private set; } = new Dictionary<string, string>();

    public string? Provider { get; private set; }

    private string? _schemaString;
    private IReadOnlyList<string> _partitionColumns = [];

    public void Apply(JsonObject? action, DeltaFields at)
    {
        if (action is null)
        {
            return;
        }

        if (at.Object(action, "protocol", "protocol") is { } protocol)
        {
            var reader = at.Long(protocol, "minReaderVersion", "protocol.minReaderVersion");
            MinReaderVersion = reader is null ? null : (int)Math.Clamp(reader.Value, int.MinValue, int.MaxValue);
            ReaderFeatures = at.Strings(protocol, "readerFeatures", "protocol.readerFeatures");
        }
        else if (at.Object(action, "metaData", "metaData") is { } metadata)
        {
            _schemaString = at.String(metadata, "schemaString", "metaData.schemaString");
            _partitionColumns = at.Strings(metadata, "partitionColumns", "metaData.partitionColumns");
            Configuration = at.Object(metadata, "configuration", "metaData.configuration") is { } configuration
                ? configuration.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString())
                : new Dictionary<string, string>();
            Provider = at.Object(metadata, "format", "metaData.format") is { } format ? at.String(format, "provider", "metaData.format.provider") : null;
        }
        else if (at.Object(action, "add", "add") is { } add)
        {
            var file = new LiveFile(
                at.String(add, "path", "add.path") ?? throw at.Error("An add action has no path"),
                at.StringMap(add, "partitionValues", "add.partitionValues"),
                at.Long(add, "size", "add.size") ?? 0,
                NumRecords(add, at),
                at.Object(add, "deletionVector", "add.deletionVector") is not null);
            _files[Key(add, "add", at)] = file;
        }
        else if (at.Object(action, "remove", "remove") is { } remove)
        {
            _files.Remove(Key(remove, "remove", at));
        }
    }

    public DeltaSnapshot ToSnapshot(long version, string log)
    {
        if (_schemaString is null)
        {
            throw new DataSourceException("The Delta log has no metaData action", log);
        }

        var files = new List<DeltaDataFile>();
        foreach (var add in _files.Values.OrderBy(a => a.Path, StringComparer.Ordinal))
        {
            if (add.HasDeletionVector)
            {
                throw new DataSourceException("A data file has a deletion vector (reader feature deletionVectors), which this reader does not support", log);
            }

            var relative = Uri.UnescapeDataString(add.Path);
            files.Add(new DeltaDataFile(ResolvePath(relative, log), relative, add.PartitionValues, add.Size, add.NumRecords));
        }

        return new DeltaSnapshot(version, _schemaString, _partitionColumns, files);
    }

    /// <summary>The record count from the add action's <c>stats</c> (a JSON document in a string), when it gives one.</summary>
    private static long? NumRecords(JsonObject add, DeltaFields at)
    {
        if (at.String(add, "stats", "add.stats") is not { } text)
        {
            return null;
        }

        JsonNode? stats;
        try
        {
            stats = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw at.Error($"Field 'add.stats' of the Delta log is not valid JSON: {e.Message}", e);
        }

        return stats is JsonObject statsObject ? at.Long(statsObject, "numRecords", "add.stats.numRecords") : null;
    }

    private string ResolvePath(string path, string log)
    {
        if (Uri.TryCreate(path, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1)
        {
            return uri.IsFile ? uri.LocalPath : throw new DataSourceException($"Data file '{path}' is on '{uri.Scheme}' storage, which this reader does not support", log);
        }

        var rootFull = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(rootFull, path));
        return full.StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new DataSourceException($"Data file path '{path}' escapes the table folder", log);
    }

    private static (string, string?) Key(JsonObject action, string kind, DeltaFields at)
    {
        var path = at.String(action, "path", kind + ".path") ?? throw at.Error($"An {kind} action has no path");
        string? dv = null;
        if (at.Object(action, "deletionVector", kind + ".deletionVector") is { } vector)
        {
            dv = $"{at.String(vector, "storageType", kind + ".deletionVector.storageType")}{at.String(vector, "pathOrInlineDv", kind + ".deletionVector.pathOrInlineDv")}{(vector["offset"] is JsonNode offset ? "@" + offset.ToJsonString() : string.Empty)}";
        }

        return (Uri.UnescapeDataString(path), dv);
    }

    /// <summary>A live data file as its add action gave it.</summary>
    private sealed record LiveFile(string Path, IReadOnlyDictionary<string, string?> PartitionValues, long Size, long? NumRecords, bool HasDeletionVector);
}
