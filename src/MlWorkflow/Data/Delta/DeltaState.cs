using System.Text.Json.Nodes;

namespace MlWorkflow.Data.Delta;

/// <summary>The reconciled log state while replaying: the latest protocol and metadata, and the live files keyed by path and
/// deletion-vector id.</summary>
internal sealed class DeltaState(string root)
{
    private readonly Dictionary<(string Path, string? Dv), JsonObject> _files = [];

    public int? MinReaderVersion { get; private set; }

    public IReadOnlyList<string> ReaderFeatures { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Configuration { get; private set; } = new Dictionary<string, string>();

    public string? Provider { get; private set; }

    private string? _schemaString;
    private IReadOnlyList<string> _partitionColumns = [];

    public void Apply(JsonObject? action, string source)
    {
        if (action is null)
        {
            return;
        }

        if (action["protocol"] is JsonObject protocol)
        {
            MinReaderVersion = (int?)protocol["minReaderVersion"];
            ReaderFeatures = Strings(protocol["readerFeatures"]);
        }
        else if (action["metaData"] is JsonObject metadata)
        {
            _schemaString = (string?)metadata["schemaString"];
            _partitionColumns = Strings(metadata["partitionColumns"]);
            Configuration = metadata["configuration"] is JsonObject configuration
                ? configuration.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString())
                : new Dictionary<string, string>();
            Provider = (string?)metadata["format"]?["provider"];
        }
        else if (action["add"] is JsonObject add)
        {
            _files[Key(add, source)] = add;
        }
        else if (action["remove"] is JsonObject remove)
        {
            _files.Remove(Key(remove, source));
        }
    }

    public DeltaSnapshot ToSnapshot(long version, string log)
    {
        if (_schemaString is null)
        {
            throw new DataSourceException("The Delta log has no metaData action", log);
        }

        var files = new List<DeltaDataFile>();
        foreach (var add in _files.Values.OrderBy(a => (string?)a["path"], StringComparer.Ordinal))
        {
            if (add["deletionVector"] is JsonObject)
            {
                throw new DataSourceException("A data file has a deletion vector (reader feature deletionVectors), which this reader does not support", log);
            }

            var relative = Uri.UnescapeDataString((string)add["path"]!);
            var full = ResolvePath(relative, log);
            var values = add["partitionValues"] is JsonObject partition
                ? partition.ToDictionary(kv => kv.Key, kv => (string?)kv.Value)
                : new Dictionary<string, string?>();
            long? records = null;
            if ((string?)add["stats"] is { } stats && JsonNode.Parse(stats)?["numRecords"] is JsonNode count)
            {
                records = (long)count;
            }

            files.Add(new DeltaDataFile(full, relative, values, (long?)add["size"] ?? 0, records));
        }

        return new DeltaSnapshot(version, _schemaString, _partitionColumns, files);
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

    /// <summary>A string list from a commit (a JSON array of strings) or a checkpoint (items may come wrapped as <c>{"element": …}</c>).</summary>
    private static List<string> Strings(JsonNode? node) => node is JsonArray array
        ? array.Select(item => item switch
        {
            JsonValue value => value.ToString(),
            JsonObject wrapped => wrapped.Select(kv => kv.Value?.ToString()).FirstOrDefault(v => v is not null) ?? string.Empty,
            _ => string.Empty,
        }).ToList()
        : [];

    private static (string, string?) Key(JsonObject action, string source)
    {
        var path = (string?)action["path"] ?? throw new DataSourceException("An add or remove action has no path", source);
        string? dv = null;
        if (action["deletionVector"] is JsonObject vector)
        {
            dv = $"{(string?)vector["storageType"]}{(string?)vector["pathOrInlineDv"]}{(vector["offset"] is JsonNode offset ? "@" + offset.ToJsonString() : string.Empty)}";
        }

        return (Uri.UnescapeDataString(path), dv);
    }
}
