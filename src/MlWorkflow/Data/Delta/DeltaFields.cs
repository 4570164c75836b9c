using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlWorkflow.Data.Delta;

/// <summary>Typed reads of the fields of a Delta log action: a field of the wrong JSON type gives a <see cref="DataSourceException"/>
/// naming the commit (or checkpoint) file, the line, and the field (<c>add.size</c>), never a bare cast error.</summary>
/// <param name="File">The commit or checkpoint file.</param>
/// <param name="Line">The 1-based line in a commit file (the 0-based row in a checkpoint), when known.</param>
internal sealed record DeltaFields(string File, long? Line)
{
    /// <summary>A whole number, or null when absent or JSON null.</summary>
    public long? Long(JsonObject parent, string name, string field)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        throw Wrong(field, node, "a whole number");
    }

    /// <summary>A string, or null when absent or JSON null.</summary>
    public string? String(JsonObject parent, string name, string field)
    {
        var node = parent[name];
        return node switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => throw Wrong(field, node, "a string"),
        };
    }

    /// <summary>An object, or null when absent or JSON null.</summary>
    public JsonObject? Object(JsonObject parent, string name, string field) => parent[name] switch
    {
        null => null,
        JsonObject value => value,
        var node => throw Wrong(field, node, "an object"),
    };

    /// <summary>A string list: a JSON array of strings (a checkpoint may wrap items as <c>{"element": …}</c>); empty when absent.</summary>
    public List<string> Strings(JsonObject parent, string name, string field) => parent[name] switch
    {
        null => [],
        JsonArray array => array.Select(item => item switch
        {
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            JsonObject wrapped when wrapped.Select(kv => kv.Value).OfType<JsonValue>().FirstOrDefault(v => v.GetValueKind() == JsonValueKind.String) is { } inner => inner.GetValue<string>(),
            _ => throw Wrong(field + "[]", item, "a string"),
        }).ToList(),
        var node => throw Wrong(field, node, "an array of strings"),
    };

    /// <summary>A string-to-string map whose values may be null (partition values).</summary>
    public Dictionary<string, string?> StringMap(JsonObject parent, string name, string field)
    {
        var map = Object(parent, name, field);
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (map is not null)
        {
            foreach (var (key, _) in map)
            {
                result[key] = String(map, key, $"{field}.{key}");
            }
        }

        return result;
    }

    /// <summary>The error for a field holding the wrong JSON type; the value is quoted short.</summary>
    public DataSourceException Wrong(string field, JsonNode? node, string expected)
    {
        var text = node?.ToJsonString() ?? "null";
        if (text.Length > 60)
        {
            text = text[..60] + "…";
        }

        return new DataSourceException($"Field '{field}' of the Delta log is {text}, not {expected}", File, Line);
    }

    /// <summary>An error at this place of the log.</summary>
    public DataSourceException Error(string message, Exception? inner = null) => new(message, File, Line, innerException: inner);
}
