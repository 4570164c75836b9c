using Apache.Arrow;
using MlWorkflow.Data.Columnar;

namespace MlWorkflow.Data.Arrow;

/// <summary>A list or fixed-size list of primitives: each row's items as a vector; a null list is an empty vector.</summary>
internal sealed class ArrowVectorPlan<T>(ColumnSpec spec, int fieldIndex, Func<IArrowArray, int, T> read) : ArrowColumnPlan(spec, fieldIndex)
{
    public override void Fill(IArrowArray array, ColumnBuffer buffer, int rows, Action<int> onNull)
    {
        var target = (VectorColumnBuffer<T>)buffer;
        var items = new List<T>();
        var offsets = new int[rows + 1];
        for (var i = 0; i < rows; i++)
        {
            offsets[i] = items.Count;
            if (array.IsNull(i))
            {
                continue;
            }

            var slice = array switch
            {
                ListArray list => list.GetSlicedValues(i),
                FixedSizeListArray fixedList => fixedList.GetSlicedValues(i),
                _ => throw new InvalidOperationException($"{array.GetType().Name} is not a list."),
            };
            for (var j = 0; j < slice.Length; j++)
            {
                if (slice.IsNull(j))
                {
                    onNull(i);
                    items.Add(DataViewTypes.MissingValue<T>());
                }
                else
                {
                    items.Add(read(slice, j));
                }
            }
        }

        offsets[rows] = items.Count;
        target.Reserve(rows, items.Count);
        offsets.CopyTo(target.Offsets, 0);
        items.CopyTo(target.Values, 0);
    }
}
