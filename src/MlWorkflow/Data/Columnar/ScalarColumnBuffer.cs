using Microsoft.ML;

namespace MlWorkflow.Data.Columnar;

/// <summary>A scalar column's values for the current batch, one per row.</summary>
internal sealed class ScalarColumnBuffer<T> : ColumnBuffer
{
    public T[] Values = [];

    /// <summary>Makes room for <paramref name="rows"/> values, keeping the array when it is big enough.</summary>
    public Span<T> Reserve(int rows)
    {
        if (Values.Length < rows)
        {
            Values = new T[rows];
        }

        return Values.AsSpan(0, rows);
    }

    public override Delegate CreateGetter(ColumnarCursor cursor)
    {
        ValueGetter<T> getter = (ref T value) => value = Values[cursor.RowInBatch];
        return getter;
    }
}
