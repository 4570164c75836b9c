using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Models;

/// <summary>MLflow column specs (<c>ColSpec</c>, section 6.5) for ML.NET columns.</summary>
internal static class ColumnSpecs
{
    public static string ToJson(IEnumerable<DataViewSchema.Column> columns) =>
        PythonStyleJson.Write(columns.Select(c => (object)Spec(c)).ToList());

    private static List<KeyValuePair<string, object?>> Spec(DataViewSchema.Column column)
    {
        var spec = new List<KeyValuePair<string, object?>>();
        if (column.Type is VectorDataViewType vector)
        {
            spec.Add(new("type", "array"));
            spec.Add(new("items", new List<KeyValuePair<string, object?>> { new("type", ScalarType(vector.ItemType)) }));
        }
        else
        {
            spec.Add(new("type", ScalarType(column.Type)));
        }

        spec.Add(new("name", column.Name));
        spec.Add(new("required", true));
        return spec;
    }

    public static string ScalarType(DataViewType type) => type switch
    {
        BooleanDataViewType => "boolean",
        TextDataViewType => "string",
        DateTimeDataViewType or DateTimeOffsetDataViewType => "datetime",
        KeyDataViewType => "long",
        _ when type == NumberDataViewType.Single => "float",
        _ when type == NumberDataViewType.Double => "double",
        _ when type == NumberDataViewType.Int64 || type == NumberDataViewType.UInt32 || type == NumberDataViewType.UInt64 => "long",
        NumberDataViewType => "integer",
        _ => "any",
    };
}
