using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Data.Columnar;

/// <summary>An <see cref="IDataView"/> over a columnar source: each cursor reads batch by batch, only the columns asked for.</summary>
internal sealed class ColumnarDataView : IDataView
{
    private readonly IColumnarSource _source;

    public ColumnarDataView(IColumnarSource source)
    {
        _source = source;
        var builder = new DataViewSchema.Builder();
        foreach (var column in source.Columns)
        {
            builder.AddColumn(column.Name, column.Type);
        }

        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _source.RowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var buffers = new ColumnBuffer?[_source.Columns.Count];
        foreach (var column in columnsNeeded)
        {
            buffers[column.Index] = _source.Columns[column.Index].CreateBuffer();
        }

        return new ColumnarCursor(Schema, buffers, _source.OpenBatchReader(buffers));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
