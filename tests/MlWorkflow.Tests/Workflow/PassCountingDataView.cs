using Microsoft.ML;

namespace MlWorkflow.Tests.Workflow;

/// <summary>Real data passed through unchanged, counting the passes (cursors) made over it.</summary>
internal sealed class PassCountingDataView(IDataView source) : IDataView
{
    private int _passes;

    public int Passes => _passes;

    public bool CanShuffle => source.CanShuffle;

    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        Interlocked.Increment(ref _passes);
        return source.GetRowCursor(columnsNeeded, rand);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        Interlocked.Increment(ref _passes);
        return source.GetRowCursorSet(columnsNeeded, n, rand);
    }
}
