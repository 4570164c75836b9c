namespace MlWorkflow.Data.Columnar;

/// <summary>A format's reader behind <see cref="ColumnarDataView"/>: the columns and a way to read them batch by batch.</summary>
internal interface IColumnarSource
{
    IReadOnlyList<ColumnSpec> Columns { get; }

    /// <summary>The number of rows, when known without reading data.</summary>
    long? RowCount { get; }

    /// <summary>Opens a reader that fills the given buffers (null = column not needed) one batch at a time.</summary>
    IBatchReader OpenBatchReader(IReadOnlyList<ColumnBuffer?> buffers);
}
