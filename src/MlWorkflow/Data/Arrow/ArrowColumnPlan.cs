using Apache.Arrow;
using MlWorkflow.Data.Columnar;

namespace MlWorkflow.Data.Arrow;

/// <summary>How one ML.NET column is filled from one Arrow column of each record batch.</summary>
internal abstract class ArrowColumnPlan(ColumnSpec spec, int fieldIndex)
{
    public ColumnSpec Spec { get; } = spec;

    public int FieldIndex { get; } = fieldIndex;

    public abstract void Fill(IArrowArray array, ColumnBuffer buffer, int rows, Action<int> onNull);
}
