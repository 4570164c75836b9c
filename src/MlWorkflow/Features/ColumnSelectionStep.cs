using Microsoft.ML;
using MlWorkflow.CodeGeneration;

namespace MlWorkflow.Features;

/// <summary>Drops columns, keeps only some columns, or renames one column.</summary>
internal sealed class ColumnSelectionStep : FeatureStep
{
    private readonly string[] _columns;
    private readonly string? _newName;

    private ColumnSelectionStep(string name, string[] columns, string? newName)
        : base(name)
    {
        if (columns.Length == 0 || columns.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Name at least one column, and no empty names.", nameof(columns));
        }

        _columns = columns;
        _newName = newName;
    }

    public static ColumnSelectionStep Drop(string[] columns) => new("drop", columns, null);

    public static ColumnSelectionStep Select(string[] columns) => new("select", columns, null);

    public static ColumnSelectionStep Rename(string column, string newName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(newName);
        return new("rename", [column], newName);
    }

    /// <summary>Whether the step only hides columns from later steps (drop, select): a workflow needs no estimator for it.</summary>
    public bool ChangesSchemaOnly => Name is "drop" or "select";

    public override IReadOnlyList<string> InputColumns => _columns;

    public override IReadOnlyList<string> OutputColumns => _newName is null ? [] : [_newName];

    public override IReadOnlyDictionary<string, string> Parameters => _newName is null
        ? new Dictionary<string, string> { ["columns"] = string.Join(",", _columns) }
        : new Dictionary<string, string> { ["input"] = _columns[0], ["output"] = _newName };

    internal override string? BuilderCall => Name switch
    {
        "drop" => $".Drop({CSharpLiteral.Strings(_columns)})",
        "select" => $".Select({CSharpLiteral.Strings(_columns)})",
        _ => $".Rename({CSharpLiteral.String(_columns[0])}, {CSharpLiteral.String(_newName!)})",
    };

    public override IEstimator<ITransformer> CreateEstimator(MLContext mlContext) => Name switch
    {
        "drop" => mlContext.Transforms.DropColumns(_columns),
        "select" => mlContext.Transforms.SelectColumns(_columns),
        _ => mlContext.Transforms.CopyColumns(_newName!, _columns[0]).Append(mlContext.Transforms.DropColumns(_columns[0])),
    };
}
