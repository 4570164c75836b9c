using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;

namespace MlWorkflow.Splitting;

/// <summary>Reads one scalar column of every row, in cursor order, as the split needs it: a key per row, a number or a date.</summary>
internal static class ColumnReader
{
    /// <summary>Whether <see cref="Keys"/> can read the column (a scalar of a type with a value per row).</summary>
    public static bool CanReadKeys(DataViewType type) => Reader(type) is not null;

    /// <summary>Each row's value as text (a class or a group); a missing value is the empty text, one group of its own.</summary>
    public static string[] Keys(IDataView data, string column)
    {
        var col = data.Schema[column];
        var read = Reader(col.Type) ?? throw new InvalidOperationException($"Column '{column}' is {col.Type}; it cannot be read as a key.");
        var values = new List<string>();
        using var cursor = data.GetRowCursor([col]);
        var getter = read(cursor, col);
        while (cursor.MoveNext())
        {
            values.Add(getter());
        }

        return [.. values];
    }

    /// <summary>The number of rows: the view's own count when it knows it, otherwise a pass with no column read.</summary>
    /// <exception cref="WorkflowValidationException">More rows than a split can hold in memory (<see cref="int.MaxValue"/>).</exception>
    public static int Count(IDataView data, string step)
    {
        var count = data.GetRowCount();
        if (count is null)
        {
            count = 0;
            using var cursor = data.GetRowCursor([]);
            while (cursor.MoveNext())
            {
                count++;
            }
        }

        return count <= Array.MaxLength
            ? (int)count.Value
            : throw new WorkflowValidationException(step, string.Empty, $"{count} rows are more than a random split can number; sample the data first or split by a column");
    }

    /// <summary>Each row's number (any numeric type), NaN where missing.</summary>
    public static double[] Numbers(IDataView data, string column)
    {
        var col = data.Schema[column];
        var values = new List<double>();
        using var cursor = data.GetRowCursor([col]);
        var getter = NumberGetter(cursor, col);
        while (cursor.MoveNext())
        {
            values.Add(getter());
        }

        return [.. values];
    }

    /// <summary>Each row's date.</summary>
    public static DateTime[] Dates(IDataView data, string column) => Read<DateTime>(data, column);

    /// <summary>Each row's Boolean.</summary>
    public static bool[] Booleans(IDataView data, string column) => Read<bool>(data, column);

    private static T[] Read<T>(IDataView data, string column)
    {
        var col = data.Schema[column];
        var values = new List<T>();
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<T>(col);
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(value);
        }

        return [.. values];
    }

    private static Func<DataViewRowCursor, DataViewSchema.Column, Func<string>>? Reader(DataViewType type) => type switch
    {
        TextDataViewType => (c, col) => Format<ReadOnlyMemory<char>>(c, col, v => v.ToString()),
        BooleanDataViewType => (c, col) => Format<bool>(c, col, v => v ? "true" : "false"),
        KeyDataViewType { RawType: var raw } when raw == typeof(uint) => (c, col) => Format<uint>(c, col, Invariant),
        DateTimeDataViewType => (c, col) => Format<DateTime>(c, col, v => v.ToString("O", CultureInfo.InvariantCulture)),
        NumberDataViewType => (c, col) =>
        {
            var number = NumberGetter(c, col);
            return () => number() is var v && double.IsNaN(v) ? string.Empty : Invariant(v);
        },
        _ => null,
    };

    private static Func<double> NumberGetter(DataViewRowCursor cursor, DataViewSchema.Column column) =>
        NumericColumn.Getter(cursor, column) ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not a number.");

    private static Func<string> Format<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, string> format)
    {
        var getter = cursor.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            return format(value);
        };
    }

    private static string Invariant<T>(T value)
        where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
