using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Data.Columnar;

/// <summary>A vector column's values for the current batch: all items in one array, row r owning
/// <c>Values[Offsets[r]..Offsets[r + 1]]</c>.</summary>
internal sealed class VectorColumnBuffer<T> : ColumnBuffer
{
    public T[] Values = [];
    public int[] Offsets = [0];

    public void Reserve(int rows, int items)
    {
        if (Offsets.Length < rows + 1)
        {
            Offsets = new int[rows + 1];
        }

        if (Values.Length < items)
        {
            Values = new T[items];
        }
    }

    public override Delegate CreateGetter(ColumnarCursor cursor)
    {
        ValueGetter<VBuffer<T>> getter = (ref VBuffer<T> value) =>
        {
            var row = cursor.RowInBatch;
            var start = Offsets[row];
            var length = Offsets[row + 1] - start;
            var editor = VBufferEditor.Create(ref value, length);
            Values.AsSpan(start, length).CopyTo(editor.Values);
            value = editor.Commit();
        };
        return getter;
    }
}
