using MlWorkflow.Data.Columnar;
using Parquet;

namespace MlWorkflow.Data.Parquet;

/// <summary>Fills one column buffer from one row group of one file.</summary>
internal abstract class ParquetColumnFiller
{
    public abstract void Fill(ParquetRowGroupReader rowGroup, ColumnBuffer buffer, int rows, FillContext context);

    public static ParquetColumnFiller ForPlan(ParquetColumnPlan plan) =>
        (ParquetColumnFiller)Activator.CreateInstance(
            (plan.IsList ? typeof(ParquetVectorFiller<,>) : typeof(ParquetScalarFiller<,>)).MakeGenericType(plan.Field.ClrType, plan.Spec.ElementType),
            plan.Field)!;

    public static ParquetColumnFiller Constant(ColumnSpec spec, object? value) =>
        (ParquetColumnFiller)Activator.CreateInstance(typeof(ConstantColumnFiller<>).MakeGenericType(spec.ElementType), value)!;

    /// <summary>Where a fill happens and what to do with nulls.</summary>
    internal sealed class FillContext(string filePath, int rowGroup, string column, MissingValuePolicy policy)
    {
        private int[] _definitionLevels = [];

        public string FilePath { get; } = filePath;

        public int RowGroup { get; } = rowGroup;

        public string Column { get; } = column;

        public MissingValuePolicy Policy { get; } = policy;

        public int[] DefinitionLevels(int count)
        {
            if (_definitionLevels.Length < count)
            {
                _definitionLevels = new int[count];
            }

            return _definitionLevels;
        }

        public DataSourceException NullFound(long row) =>
            new("A null value was found and MissingValues is Fail", FilePath, row, RowGroup, Column);
    }
}
