using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Splitting;

/// <summary>
/// The rows of a data view whose position passes a filter (the test or training side of a split, a fold): positions are
/// those of an unshuffled cursor over the source, which every ML.NET loader and ours return in the same order each time.
/// </summary>
internal sealed class RowSubsetDataView : IDataView
{
    private readonly IDataView _source;
    private readonly Func<long, bool> _keep;
    private readonly long _rows;

    /// <param name="source">The whole data.</param>
    /// <param name="keep">Whether the row at a position is in the subset.</param>
    /// <param name="rows">How many positions <paramref name="keep"/> accepts (the view's row count).</param>
    public RowSubsetDataView(IDataView source, Func<long, bool> keep, long rows)
    {
        _source = source;
        _keep = keep;
        _rows = rows;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_source.GetRowCursor(columnsNeeded), _keep);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _source;
        private readonly Func<long, bool> _keep;
        private long _position = -1;

        public Cursor(DataViewRowCursor source, Func<long, bool> keep)
        {
            _source = source;
            _keep = keep;
        }

        public override DataViewSchema Schema => _source.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _source.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _source.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => _source.GetIdGetter();

        public override bool MoveNext()
        {
            while (_source.MoveNext())
            {
                if (_keep(_source.Position))
                {
                    _position++;
                    return true;
                }
            }

            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _source.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
