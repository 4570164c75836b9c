namespace MlWorkflow.Serving.Protocol;

/// <summary>A request's input as named columns of equal length, whatever form the client sent it in.</summary>
internal sealed class InputTable
{
    private readonly Dictionary<string, Cell[]> _columns = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public InputTable(int rowCount) => RowCount = rowCount;

    public int RowCount { get; }

    /// <summary>The column names in the order the client sent them.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The cells of the named column, or null when the client sent no such column.</summary>
    public Cell[]? Column(string name) => _columns.GetValueOrDefault(name);

    /// <summary>Adds a column; a repeated name replaces the earlier column, as pandas keeps the last.</summary>
    public void Add(string name, Cell[] cells)
    {
        if (_columns.TryAdd(name, cells))
        {
            _names.Add(name);
        }
        else
        {
            _columns[name] = cells;
        }
    }
}
