using Apache.Arrow;
using MlWorkflow.Data.Columnar;

namespace MlWorkflow.Data.Arrow;

/// <summary>A scalar column: each row's value read by a typed accessor; nulls become the missing value.</summary>
internal sealed class ArrowScalarPlan<T>(ColumnSpec spec, int fieldIndex, Func<IArrowArray, int, T> read) : ArrowColumnPlan(spec, fieldIndex)
{
    public override void Fill(IArrowArray array, ColumnBuffer buffer, int rows, Action<int> onNull)
    {
        var values = ((ScalarColumnBuffer<T>)buffer).Reserve(rows);
        for (var i = 0; i < rows; i++)
        {
            if (array.IsNull(i))
            {
                onNull(i);
                values[i] = DataViewTypes.MissingValue<T>();
            }
            else
            {
                values[i] = read(array, i);
            }
        }
    }
}
