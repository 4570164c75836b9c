using Microsoft.ML;

namespace MlWorkflow.Data.Columnar;

/// <summary>The values of one column for the current batch (row group, record batch) of a cursor; reused from batch to batch.</summary>
internal abstract class ColumnBuffer
{
    public abstract Delegate CreateGetter(ColumnarCursor cursor);
}
