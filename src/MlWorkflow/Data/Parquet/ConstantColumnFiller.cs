using MlWorkflow.Data.Columnar;
using Parquet;

namespace MlWorkflow.Data.Parquet;

/// <summary>Fills a column that is constant for a file (a Delta partition value), or missing from it (null).</summary>
internal sealed class ConstantColumnFiller<T>(object? value) : ParquetColumnFiller
{
    public override void Fill(ParquetRowGroupReader rowGroup, ColumnBuffer buffer, int rows, FillContext context)
    {
        if (value is null && context.Policy == MissingValuePolicy.Fail)
        {
            throw context.NullFound(0);
        }

        if (buffer is VectorColumnBuffer<T> vector)
        {
            vector.Reserve(rows, 0);
            vector.Offsets.AsSpan(0, rows + 1).Clear();
            return;
        }

        var fill = value is null ? DataViewTypes.MissingValue<T>() : (T)value;
        ((ScalarColumnBuffer<T>)buffer).Reserve(rows).Fill(fill);
    }
}
