using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Serving.Batch;

/// <summary>
/// The output of a batch scoring: chosen columns of the scored view (kept input columns and the prediction columns, under
/// their output names), read row by row as the scored view streams; it counts the rows, reports progress and checks for
/// cancellation every so many rows.
/// </summary>
internal sealed class PredictionView : IDataView
{
    private readonly IDataView _source;
    private readonly DataViewSchema.Column[] _sources;
    private readonly int _reportEvery;
    private readonly Action<long>? _onRows;
    private readonly CancellationToken _cancellationToken;

    public PredictionView(IDataView source, IReadOnlyList<(DataViewSchema.Column Source, string Name)> columns, int reportEvery, Action<long>? onRows, CancellationToken cancellationToken)
    {
        _source = source;
        _sources = columns.Select(c => c.Source).ToArray();
        _reportEvery = reportEvery;
        _onRows = onRows;
        _cancellationToken = cancellationToken;
        var builder = new DataViewSchema.Builder();
        foreach (var (column, name) in columns)
        {
            builder.AddColumn(name, column.Type, column.Annotations);
        }

        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    /// <summary>The rows the last cursor has moved through.</summary>
    public long RowsRead { get; private set; }

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => _sources[c.Index]).ToList();
        return new Cursor(this, _source.GetRowCursor(needed));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(PredictionView view, DataViewRowCursor inner) : DataViewRowCursor
    {
        private long _rows;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override bool MoveNext()
        {
            if (_rows == 0)
            {
                view._cancellationToken.ThrowIfCancellationRequested();
            }

            if (!inner.MoveNext())
            {
                return false;
            }

            view.RowsRead = ++_rows;
            if (_rows % view._reportEvery == 0)
            {
                view._cancellationToken.ThrowIfCancellationRequested();
                view._onRows?.Invoke(_rows);
            }

            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(view._sources[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(view._sources[column.Index]);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
