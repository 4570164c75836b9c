using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Models;

/// <summary>Reads the first rows of an <see cref="IDataView"/> as plain values (for input examples).</summary>
internal static class DataViewRows
{
    public static List<object?[]> Read(IDataView data, IReadOnlyList<string> columnNames, int maximumRows)
    {
        var columns = columnNames.Select(name => data.Schema[name]).ToArray();
        var rows = new List<object?[]>();
        using var cursor = data.GetRowCursor(columns);
        var getters = columns.Select(c => Getter(cursor, c)).ToArray();
        while (rows.Count < maximumRows && cursor.MoveNext())
        {
            rows.Add(getters.Select(g => g()).ToArray());
        }

        return rows;
    }

    private static Func<object?> Getter(DataViewRowCursor cursor, DataViewSchema.Column column) => column.Type switch
    {
        VectorDataViewType vector when vector.ItemType == NumberDataViewType.Single => Vector<float>(cursor, column),
        VectorDataViewType vector when vector.ItemType == NumberDataViewType.Double => Vector<double>(cursor, column),
        VectorDataViewType vector when vector.ItemType is TextDataViewType => VectorText(cursor, column),
        TextDataViewType => Text(cursor, column),
        BooleanDataViewType => Scalar<bool>(cursor, column),
        _ when column.Type == NumberDataViewType.Single => Scalar<float>(cursor, column),
        _ when column.Type == NumberDataViewType.Double => Scalar<double>(cursor, column),
        _ when column.Type == NumberDataViewType.Int32 => Scalar<int>(cursor, column),
        _ when column.Type == NumberDataViewType.Int64 => Scalar<long>(cursor, column),
        _ when column.Type == NumberDataViewType.UInt32 || column.Type is KeyDataViewType { RawType: var raw } && raw == typeof(uint) => Scalar<uint>(cursor, column),
        DateTimeDataViewType => Scalar<DateTime>(cursor, column),
        _ => () => null,
    };

    private static Func<object?> Scalar<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            return value is DateTime time ? time.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : value;
        };
    }

    private static Func<object?> Text(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        return () =>
        {
            var value = default(ReadOnlyMemory<char>);
            getter(ref value);
            return value.ToString();
        };
    }

    private static Func<object?> Vector<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        return () =>
        {
            var value = default(VBuffer<T>);
            getter(ref value);
            return value.DenseValues().ToList();
        };
    }

    private static Func<object?> VectorText(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        return () =>
        {
            var value = default(VBuffer<ReadOnlyMemory<char>>);
            getter(ref value);
            return value.DenseValues().Select(v => v.ToString()).ToList();
        };
    }
}
