using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Evaluation;

/// <summary>Reads scalar columns and annotations of an <see cref="IDataView"/> as plain .NET values.</summary>
internal static class DataViewColumns
{
    public static double[] ReadDoubles(IDataView data, string column)
    {
        var type = data.Schema[column].Type;
        return type switch
        {
            _ when type == NumberDataViewType.Single => data.GetColumn<float>(column).Select(v => (double)v).ToArray(),
            _ when type == NumberDataViewType.Double => data.GetColumn<double>(column).ToArray(),
            _ when type == NumberDataViewType.Int32 => data.GetColumn<int>(column).Select(v => (double)v).ToArray(),
            _ when type == NumberDataViewType.Int64 => data.GetColumn<long>(column).Select(v => (double)v).ToArray(),
            BooleanDataViewType => data.GetColumn<bool>(column).Select(v => v ? 1.0 : 0.0).ToArray(),
            KeyDataViewType { RawType: var raw } when raw == typeof(uint) => data.GetColumn<uint>(column).Select(v => (double)v).ToArray(),
            _ => throw new InvalidOperationException($"Column '{column}' is {type}; a number or boolean was expected."),
        };
    }

    /// <summary>The names of a key column's values (classes), or of a vector column's slots; empty when there are none.</summary>
    public static string[] ReadAnnotationNames(DataViewSchema.Column column, string kind)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(kind);
        if (annotation is null || annotation.Value.Type is not VectorDataViewType vector)
        {
            return [];
        }

        return vector.ItemType switch
        {
            TextDataViewType => Read<ReadOnlyMemory<char>>(column, kind, v => v.ToString()),
            _ when vector.ItemType == NumberDataViewType.Single => Read<float>(column, kind, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ when vector.ItemType == NumberDataViewType.Double => Read<double>(column, kind, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ when vector.ItemType == NumberDataViewType.Int32 => Read<int>(column, kind, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ when vector.ItemType == NumberDataViewType.Int64 => Read<long>(column, kind, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            BooleanDataViewType => Read<bool>(column, kind, v => v ? "true" : "false"),
            _ => [],
        };
    }

    private static string[] Read<T>(DataViewSchema.Column column, string kind, Func<T, string> format)
    {
        var buffer = default(VBuffer<T>);
        column.Annotations.GetValue(kind, ref buffer);
        return buffer.DenseValues().Select(format).ToArray();
    }
}
