using Microsoft.ML;

namespace MlWorkflow.Testing.Data;

/// <summary>Reads one scalar column of a data view, row by row, as a number or a text.</summary>
internal static class ColumnValues
{
    public static IEnumerable<(long Row, double? Number, string? Text)> Read(IDataView data, string column)
    {
        var schemaColumn = data.Schema[column];
        using var cursor = data.GetRowCursor([schemaColumn]);
        var read = Getter(cursor, schemaColumn);
        long row = 0;
        while (cursor.MoveNext())
        {
            var (number, text) = read();
            yield return (row++, number, text);
        }
    }

    private static Func<(double? Number, string? Text)> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var type = column.Type.RawType;
        if (type == typeof(float))
        {
            var get = cursor.GetGetter<float>(column);
            return () => { float v = 0; get(ref v); return (v, null); };
        }

        if (type == typeof(double))
        {
            var get = cursor.GetGetter<double>(column);
            return () => { double v = 0; get(ref v); return (v, null); };
        }

        if (type == typeof(int))
        {
            var get = cursor.GetGetter<int>(column);
            return () => { int v = 0; get(ref v); return (v, null); };
        }

        if (type == typeof(long))
        {
            var get = cursor.GetGetter<long>(column);
            return () => { long v = 0; get(ref v); return (v, null); };
        }

        if (type == typeof(ReadOnlyMemory<char>))
        {
            var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            return () => { ReadOnlyMemory<char> v = default; get(ref v); return (null, v.ToString()); };
        }

        throw new ArgumentException($"Column '{column.Name}' is of type {column.Type}; data expectations read Single, Double, Int32, Int64 and text columns.", nameof(column));
    }
}
