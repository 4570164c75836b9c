using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlWorkflow.Data.Columnar;

namespace MlWorkflow.Data.Delta;

/// <summary>Maps a Delta (Spark JSON) schema to ML.NET columns with the Parquet mapping: struct fields flattened as
/// <c>struct.field</c>, arrays of primitives as vectors, decimals as <c>Double</c>, dates and timestamps as <c>DateTime</c>.</summary>
internal static class DeltaSchemaMapper
{
    public static IReadOnlyList<ColumnSpec> Map(string schemaString, string log, UnsupportedColumnPolicy policy)
    {
        try
        {
            var schema = JsonNode.Parse(schemaString) as JsonObject ?? throw new DataSourceException("The table schema (metaData.schemaString) is not a JSON object", log);
            var columns = new List<ColumnSpec>();
            foreach (var field in schema["fields"] as JsonArray ?? [])
            {
                MapField(FieldName(field, log), field!["type"], columns, log, policy);
            }

            return columns;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // A value of the wrong JSON type (GetValue) or text that is not JSON: the schema, not the reader, is at fault.
            throw new DataSourceException($"The table schema (metaData.schemaString) is malformed: {e.Message}", log, innerException: e);
        }
    }

    /// <summary>A schema field's name, which must be a string.</summary>
    private static string FieldName(JsonNode? field, string log) =>
        (field as JsonObject)?["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String
            ? name.GetValue<string>()
            : throw new DataSourceException("A field of the table schema (metaData.schemaString) has no string 'name'", log);

    /// <summary>The typed value of a partition column from its serialised text (null or empty = null).</summary>
    public static object? ParsePartitionValue(string? text, ColumnSpec column, string file)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var invariant = CultureInfo.InvariantCulture;
        try
        {
            var type = column.ElementType;
            return type switch
            {
                _ when type == typeof(ReadOnlyMemory<char>) => text.AsMemory(),
                _ when type == typeof(int) => int.Parse(text, invariant),
                _ when type == typeof(long) => long.Parse(text, invariant),
                _ when type == typeof(short) => short.Parse(text, invariant),
                _ when type == typeof(sbyte) => sbyte.Parse(text, invariant),
                _ when type == typeof(float) => float.Parse(text, invariant),
                _ when type == typeof(double) => double.Parse(text, invariant),
                _ when type == typeof(bool) => bool.Parse(text),
                _ when type == typeof(DateTime) => DateTime.Parse(text, invariant, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                _ => throw new FormatException($"no parser for {type.Name}"),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new DataSourceException($"Partition value '{text}' is not a valid {column.Type}: {e.Message}", file, column: column.Name, innerException: e);
        }
    }

    private static void MapField(string name, JsonNode? type, List<ColumnSpec> columns, string log, UnsupportedColumnPolicy policy)
    {
        if (type is JsonValue value && Primitive(value.GetValue<string>()) is { } primitive)
        {
            columns.Add(ColumnSpec.Scalar(name, primitive));
            return;
        }

        if (type is JsonObject complex)
        {
            switch ((string?)complex["type"])
            {
                case "struct":
                    foreach (var child in complex["fields"] as JsonArray ?? [])
                    {
                        MapField($"{name}.{FieldName(child, log)}", child!["type"], columns, log, policy);
                    }

                    return;
                case "array" when complex["elementType"] is JsonValue element && Primitive(element.GetValue<string>()) is { } item:
                    columns.Add(ColumnSpec.Vector(name, item));
                    return;
            }
        }

        if (policy == UnsupportedColumnPolicy.Fail)
        {
            throw new DataSourceException($"Column '{name}' has Delta type {type?.ToJsonString()}, which has no ML.NET mapping; pass UnsupportedColumns = Skip to leave it out", log, column: name);
        }
    }

    private static Type? Primitive(string name) => name switch
    {
        "string" or "binary" => typeof(ReadOnlyMemory<char>),
        "long" => typeof(long),
        "integer" => typeof(int),
        "short" => typeof(short),
        "byte" => typeof(sbyte),
        "float" => typeof(float),
        "double" => typeof(double),
        "boolean" => typeof(bool),
        "date" or "timestamp" or "timestamp_ntz" => typeof(DateTime),
        _ when name.StartsWith("decimal", StringComparison.Ordinal) => typeof(double),
        _ => null,
    };
}
