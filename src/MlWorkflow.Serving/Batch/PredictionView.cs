using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Serving.Scoring;

namespace MlWorkflow.Serving.Batch;

/// <summary>
/// The output of a batch scoring: chosen columns of the scored view (kept input columns and the prediction columns, under
/// their output names), read row by row as the scored view streams; it counts the rows, reports progress and checks for
/// cancellation every so many rows. With a flat tree evaluator, the prediction column is computed a chunk of rows at a
/// time from a second cursor over the feature vectors, which runs at most one chunk ahead of the first.
/// </summary>
internal sealed class PredictionView : IDataView
{
    /// <summary>Rows whose trees are walked together when the flat tree evaluator computes the prediction.</summary>
    private const int TreeChunkRows = 4096;

    private readonly IDataView _source;
    private readonly DataViewSchema.Column[] _sources;
    private readonly TreeScores? _trees;
    private readonly int _reportEvery;
    private readonly Action<long>? _onRows;
    private readonly CancellationToken _cancellationToken;

    public PredictionView(IDataView source, IReadOnlyList<(DataViewSchema.Column Source, string Name)> columns, TreeScores? trees, int reportEvery, Action<long>? onRows, CancellationToken cancellationToken)
    {
        _source = source;
        _sources = columns.Select(c => c.Source).ToArray();
        _trees = trees;
        _reportEvery = reportEvery;
        _onRows = onRows;
        _cancellationToken = cancellationToken;
        var builder = new DataViewSchema.Builder();
        for (var i = 0; i < columns.Count; i++)
        {
            var (column, name) = columns[i];
            if (i == trees?.OutputIndex)
            {
                builder.AddColumn(name, NumberDataViewType.Single);
            }
            else
            {
                builder.AddColumn(name, column.Type, column.Annotations);
            }
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
        var wanted = columnsNeeded.ToList();
        var computed = _trees is { } trees && wanted.Any(c => c.Index == trees.OutputIndex);
        var needed = wanted.Where(c => !computed || c.Index != _trees!.OutputIndex).Select(c => _sources[c.Index]).ToList();
        var features = computed ? _source.GetRowCursor([_trees!.Features]) : null;
        return new Cursor(this, _source.GetRowCursor(needed), features);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly PredictionView _view;
        private readonly DataViewRowCursor _inner;
        private readonly DataViewRowCursor? _features;
        private readonly ValueGetter<VBuffer<float>>? _featureGetter;
        private readonly float[] _matrix = [];
        private readonly double[] _predictions = [];
        private VBuffer<float> _vector;
        private int _chunkRows;
        private int _inChunk = -1;
        private long _rows;

        public Cursor(PredictionView view, DataViewRowCursor inner, DataViewRowCursor? features)
        {
            _view = view;
            _inner = inner;
            _features = features;
            if (features is not null)
            {
                var trees = view._trees!;
                _featureGetter = features.GetGetter<VBuffer<float>>(trees.Features);
                _matrix = new float[TreeChunkRows * trees.Stride];
                _predictions = new double[TreeChunkRows];
            }
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _inner.Position;

        public override long Batch => _inner.Batch;

        public override bool MoveNext()
        {
            if (_rows == 0)
            {
                _view._cancellationToken.ThrowIfCancellationRequested();
            }

            if (!_inner.MoveNext())
            {
                return false;
            }

            if (_features is not null && ++_inChunk >= _chunkRows)
            {
                NextChunk();
            }

            _view.RowsRead = ++_rows;
            if (_rows % _view._reportEvery == 0)
            {
                _view._cancellationToken.ThrowIfCancellationRequested();
                _view._onRows?.Invoke(_rows);
            }

            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index == _view._trees?.OutputIndex ? _features is not null : _inner.IsColumnActive(_view._sources[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == _view._trees?.OutputIndex)
            {
                ValueGetter<float> prediction = (ref float value) => value = (float)_predictions[_inChunk];
                return prediction as ValueGetter<TValue> ?? throw new InvalidOperationException($"Column '{column.Name}' holds Single, not {typeof(TValue).Name}.");
            }

            return _inner.GetGetter<TValue>(_view._sources[column.Index]);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _features?.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <summary>Reads the next chunk's feature vectors from the second cursor and walks the trees for all of them.</summary>
        private void NextChunk()
        {
            var trees = _view._trees!;
            var stride = trees.Stride;
            var rows = 0;
            while (rows < TreeChunkRows && _features!.MoveNext())
            {
                _featureGetter!(ref _vector);
                var destination = _matrix.AsSpan(rows * stride, stride);
                destination.Clear();
                if (_vector.IsDense)
                {
                    _vector.GetValues().CopyTo(destination);
                }
                else
                {
                    var indices = _vector.GetIndices();
                    var values = _vector.GetValues();
                    for (var i = 0; i < indices.Length; i++)
                    {
                        destination[indices[i]] = values[i];
                    }
                }

                rows++;
            }

            if (rows == 0)
            {
                throw new InvalidOperationException("The input gave fewer rows to the feature pass than to the output pass; it must give the same rows to every cursor.");
            }

            trees.Evaluator.Predict(_matrix.AsSpan(0, rows * stride), stride, _predictions.AsSpan(0, rows));
            _chunkRows = rows;
            _inChunk = 0;
        }
    }
}

/// <summary>The prediction column a flat tree evaluator computes: from which feature column, into which output column.</summary>
internal sealed record TreeScores(DataViewSchema.Column Features, TreeEnsembleEvaluator Evaluator, int Stride, int OutputIndex);
