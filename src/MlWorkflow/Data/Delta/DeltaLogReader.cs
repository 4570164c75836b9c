using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Parquet.Serialization;

namespace MlWorkflow.Data.Delta;

/// <summary>Computes a Delta table snapshot from <c>_delta_log</c>: the newest usable Parquet checkpoint at or before the version,
/// then the JSON commits after it, reconciling adds and removes; then checks the protocol before any data file is touched.</summary>
internal static partial class DeltaLogReader
{
    /// <summary>Reader features this reader handles correctly.</summary>
    private static readonly HashSet<string> SupportedReaderFeatures = new(StringComparer.Ordinal) { "timestampNtz", "vacuumProtocolCheck" };

    public static async Task<DeltaSnapshot> ReadAsync(string root, long? version, DateTimeOffset? asOf, ColumnarReadOptions options, CancellationToken cancellationToken)
    {
        var log = Path.Combine(root, "_delta_log");
        if (!Directory.Exists(log))
        {
            throw new DataSourceException($"Not a Delta table: '{root}' has no _delta_log folder", root);
        }

        var commits = new SortedDictionary<long, string>();
        var checkpoints = new SortedDictionary<long, string>();
        foreach (var file in Directory.EnumerateFiles(log))
        {
            var name = Path.GetFileName(file);
            if (CommitName().IsMatch(name))
            {
                commits[long.Parse(name[..20], CultureInfo.InvariantCulture)] = file;
            }
            else if (CheckpointName().IsMatch(name))
            {
                checkpoints[long.Parse(name[..20], CultureInfo.InvariantCulture)] = file;
            }
        }

        if (commits.Count == 0 && checkpoints.Count == 0)
        {
            throw new DataSourceException("The Delta log holds no commits", log);
        }

        var latest = Math.Max(commits.Count > 0 ? commits.Keys.Max() : -1, checkpoints.Count > 0 ? checkpoints.Keys.Max() : -1);
        var target = version ?? latest;
        if (asOf is { } instant)
        {
            target = await VersionAtAsync(commits, instant, log, options.MaxDeltaLogLineLength, cancellationToken).ConfigureAwait(false);
        }

        if (target > latest)
        {
            throw new DataSourceException($"Version {target} does not exist; the latest version is {latest}", log);
        }

        var checkpoint = checkpoints.Keys.Where(v => v <= target).DefaultIfEmpty(-1).Max();
        for (var v = checkpoint + 1; v <= target; v++)
        {
            if (!commits.ContainsKey(v))
            {
                throw new DataSourceException($"Version {target} is not available: commit {v} is missing from the log and no checkpoint covers it", log);
            }
        }

        var state = new DeltaState(root);
        if (checkpoint >= 0)
        {
            await ApplyCheckpointAsync(state, checkpoints[checkpoint], options.MaxParquetFooterLength, cancellationToken).ConfigureAwait(false);
        }

        for (var v = checkpoint + 1; v <= target; v++)
        {
            var path = commits[v];
            await foreach (var (line, bytes) in DeltaCommitLines.ReadAsync(path, options.MaxDeltaLogLineLength, cancellationToken).ConfigureAwait(false))
            {
                if (ParseAction(bytes, path, line) is { } action)
                {
                    state.Apply(action, new DeltaFields(path, line));
                }
            }
        }

        CheckProtocol(state, log);
        return state.ToSnapshot(target, log);
    }

    /// <summary>One commit line as a JSON object; null for a blank line.</summary>
    private static JsonObject? ParseAction(ReadOnlyMemory<byte> bytes, string path, long line)
    {
        if (bytes.Span.Trim(" \t"u8).IsEmpty)
        {
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes.Span);
        }
        catch (JsonException e)
        {
            throw new DataSourceException($"The commit holds invalid JSON: {e.Message}", path, line, innerException: e);
        }

        return node as JsonObject ?? throw new DataSourceException("A commit line is not a JSON object (one action per line)", path, line);
    }

    private static async Task ApplyCheckpointAsync(DeltaState state, string path, int maxFooterBytes, CancellationToken cancellationToken)
    {
        IList<Dictionary<string, object>> rows;
        try
        {
            await using var stream = File.OpenRead(path);
            Parquet.ParquetFooter.Check(stream, path, maxFooterBytes);
            rows = (await ParquetSerializer.DeserializeUntypedAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false)).Data;
        }
        catch (Exception e) when (e is not OperationCanceledException and not DataSourceException)
        {
            throw new DataSourceException($"Cannot read the Delta checkpoint: {e.Message}", path, innerException: e);
        }

        long index = 0;
        foreach (var row in rows)
        {
            // A checkpoint row is one action with the same shape as a commit line; the other action columns are null.
            var action = new JsonObject();
            foreach (var (key, value) in row)
            {
                if (value is not null)
                {
                    action[key] = ToNode(value);
                }
            }

            state.Apply(action, new DeltaFields(path, index++));
        }
    }

    /// <summary>A checkpoint value (nested dictionaries, lists, <c>ReadOnlyMemory&lt;char&gt;</c> text) as JSON.</summary>
    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        ReadOnlyMemory<char> text => JsonValue.Create(text.ToString()),
        System.Collections.IDictionary map => ToObject(map),
        System.Collections.IEnumerable items => new JsonArray(items.Cast<object?>().Select(ToNode).ToArray()),
        _ => JsonSerializer.SerializeToNode(value),
    };

    private static JsonObject ToObject(System.Collections.IDictionary map)
    {
        var result = new JsonObject();
        foreach (System.Collections.DictionaryEntry entry in map)
        {
            result[entry.Key.ToString() ?? string.Empty] = ToNode(entry.Value);
        }

        return result;
    }

    private static async Task<long> VersionAtAsync(SortedDictionary<long, string> commits, DateTimeOffset instant, string log, int maxLineBytes, CancellationToken cancellationToken)
    {
        long? found = null;
        foreach (var (v, path) in commits)
        {
            long? timestamp = null;
            await foreach (var (line, bytes) in DeltaCommitLines.ReadAsync(path, maxLineBytes, cancellationToken).ConfigureAwait(false))
            {
                if (bytes.Span.IndexOf("\"commitInfo\""u8) >= 0 && ParseAction(bytes, path, line) is { } action)
                {
                    var at = new DeltaFields(path, line);
                    if (at.Object(action, "commitInfo", "commitInfo") is { } info)
                    {
                        timestamp = at.Long(info, "inCommitTimestamp", "commitInfo.inCommitTimestamp") ?? at.Long(info, "timestamp", "commitInfo.timestamp");
                        break;
                    }
                }
            }

            timestamp ??= new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeMilliseconds();
            if (timestamp <= instant.ToUnixTimeMilliseconds())
            {
                found = v;
            }
        }

        return found ?? throw new DataSourceException($"The table has no version at or before {instant:O}", log);
    }

    private static void CheckProtocol(DeltaState state, string log)
    {
        var (reader, features) = (state.MinReaderVersion, state.ReaderFeatures);
        if (reader is null)
        {
            throw new DataSourceException("The Delta log has no protocol action", log);
        }

        var mode = state.Configuration.GetValueOrDefault("delta.columnMapping.mode");
        var columnMapping = mode is not null && mode != "none";
        switch (reader)
        {
            case 1:
                break;
            case 2:
                if (columnMapping)
                {
                    throw new DataSourceException($"The table uses column mapping (mode '{mode}', reader version 2), which this reader does not support", log);
                }

                break;
            case 3:
                var unsupported = features.Where(f => !SupportedReaderFeatures.Contains(f)).ToList();
                if (unsupported.Count > 0)
                {
                    throw new DataSourceException($"The table needs reader feature(s) {string.Join(", ", unsupported)}, which this reader does not support", log);
                }

                break;
            default:
                throw new DataSourceException($"The table needs Delta reader version {reader}; this reader supports versions 1 to 3", log);
        }

        if (columnMapping)
        {
            throw new DataSourceException($"The table uses column mapping (mode '{mode}'), which this reader does not support", log);
        }

        if (state.Provider is not null and not "parquet")
        {
            throw new DataSourceException($"The table's files are '{state.Provider}', not parquet", log);
        }
    }

    [GeneratedRegex(@"^\d{20}\.json$")]
    private static partial Regex CommitName();

    [GeneratedRegex(@"^\d{20}\.checkpoint\.parquet$")]
    private static partial Regex CheckpointName();
}
