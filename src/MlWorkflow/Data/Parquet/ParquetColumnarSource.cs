using MlWorkflow.Data.Columnar;

namespace MlWorkflow.Data.Parquet;

/// <summary>The columnar source behind Parquet and Delta views: a list of files read one after another, row group by row group.</summary>
internal sealed class ParquetColumnarSource(
    IReadOnlyList<ParquetPart> parts,
    IReadOnlyList<ColumnSpec> columns,
    long? rowCount,
    ColumnarReadOptions options) : IColumnarSource
{
    public IReadOnlyList<ColumnSpec> Columns => columns;

    public long? RowCount => rowCount;

    public IBatchReader OpenBatchReader(IReadOnlyList<ColumnBuffer?> buffers) => new ParquetBatchReader(parts, columns, buffers, options);
}
