using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Data.Columnar;

/// <summary>A forward cursor over the batches of a columnar source; getters index the current batch's arrays (no boxing, no per-row allocation).</summary>
internal sealed class ColumnarCursor : DataViewRowCursor
{
    private readonly ColumnBuffer?[] _buffers;
    private readonly Delegate?[] _getters;
    private readonly IBatchReader _reader;
    private int _batchRows;
    private long _position = -1;
    private bool _done;

    /// <summary>The current row within the current batch; read by the getters.</summary>
    internal int RowInBatch;

    public ColumnarCursor(DataViewSchema schema, ColumnBuffer?[] buffers, IBatchReader reader)
    {
        Schema = schema;
        _buffers = buffers;
        _reader = reader;
        _getters = new Delegate?[buffers.Length];
        for (var i = 0; i < buffers.Length; i++)
        {
            _getters[i] = buffers[i]?.CreateGetter(this);
        }
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _position;

    public override long Batch => 0;

    public override bool IsColumnActive(DataViewSchema.Column column) => _buffers[column.Index] is not null;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        var getter = _getters[column.Index]
            ?? throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue)}.");
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

    public override bool MoveNext()
    {
        if (_done)
        {
            return false;
        }

        if (++RowInBatch >= _batchRows)
        {
            _batchRows = _reader.ReadNextBatch();
            RowInBatch = 0;
            if (_batchRows == 0)
            {
                _done = true;
                _reader.Dispose();
                return false;
            }
        }

        _position++;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
        }

        base.Dispose(disposing);
    }
}
