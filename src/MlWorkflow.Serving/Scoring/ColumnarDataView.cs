using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Serving.Scoring;

/// <summary>An in-memory ML.NET data view over typed arrays, one per column, built at run time from a request's columns.</summary>
internal sealed class ColumnarDataView : IDataView
{
    private readonly Array[] _columns;
    private readonly int _rows;

    public ColumnarDataView(DataViewSchema schema, Array[] columns, int rows)
    {
        Schema = schema;
        _columns = columns;
        _rows = rows;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ColumnarDataView _view;
        private long _position = -1;

        public Cursor(ColumnarDataView view) => _view = view;

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= _view._rows)
            {
                _position = _view._rows;
                return false;
            }

            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var values = _view._columns[column.Index];
            if (values is VBuffer<float>[] vectors && typeof(TValue) == typeof(VBuffer<float>))
            {
                // Copied, so that ML.NET's reuse of the destination buffer never writes into the request's values.
                ValueGetter<VBuffer<float>> vectorGetter = (ref VBuffer<float> value) => vectors[(int)_position].CopyTo(ref value);
                return (ValueGetter<TValue>)(Delegate)vectorGetter;
            }

            if (values is TValue[] typed)
            {
                return (ref TValue value) => value = typed[(int)_position];
            }

            throw new InvalidOperationException($"Column '{column.Name}' holds {values.GetType().GetElementType()?.Name}, not {typeof(TValue).Name}.");
        }
    }
}
