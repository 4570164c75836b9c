using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.CodeGeneration;

namespace MlWorkflow.Features;

/// <summary>
/// Concatenates numeric and boolean columns into one Single vector (by default <c>Features</c>), converting
/// other numeric types to Single in place. Without named columns it takes every column that is not the label
/// (nor a column the label was computed from); the workflow resolves that list against the schema.
/// </summary>
internal sealed class ConcatenateStep : FeatureStep
{
    public const string DefaultOutput = "Features";

    private readonly string[]? _columns;
    private readonly string _output;
    private string[] _toConvert = [];

    public ConcatenateStep(string[]? columns, string output = DefaultOutput)
        : base("concatenate")
    {
        if (columns is not null && (columns.Length == 0 || columns.Any(string.IsNullOrWhiteSpace)))
        {
            throw new ArgumentException("Name at least one column to concatenate, and no empty names.", nameof(columns));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        _columns = columns;
        _output = output;
    }

    /// <summary>True when the columns are to be chosen from the schema (all non-label columns).</summary>
    public bool IsAutomatic => _columns is null;

    public string Output => _output;

    public override IReadOnlyList<string> InputColumns => _columns ?? [];

    public override IReadOnlyList<string> OutputColumns => [_output];

    public override IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string>
    {
        ["columns"] = _columns is null ? "(all but the label)" : string.Join(",", _columns),
        ["output"] = _output,
    };

    /// <summary>Picks the columns from <paramref name="input"/>: every column but <paramref name="excluded"/>.</summary>
    public ConcatenateStep Resolve(SchemaShape input, IReadOnlySet<string> excluded)
    {
        if (_columns is not null)
        {
            return this;
        }

        var columns = input.Select(c => c.Name).Where(name => !excluded.Contains(name) && name != _output).ToArray();
        if (columns.Length == 0)
        {
            throw new FeatureValidationException(this, string.Empty, "there is no column left to use as a feature besides the label");
        }

        return new ConcatenateStep(columns, _output);
    }

    public override SchemaShape Validate(MLContext mlContext, SchemaShape input)
    {
        if (_columns is null)
        {
            throw new InvalidOperationException("Resolve the automatic column list before validating.");
        }

        foreach (var column in _columns)
        {
            CheckInputColumn(input, column);
        }

        _toConvert = _columns
            .Where(name => input.TryFindColumn(name, out var found) && found.ItemType != NumberDataViewType.Single)
            .ToArray();
        return base.Validate(mlContext, input);
    }

    public override IEstimator<ITransformer> CreateEstimator(MLContext mlContext)
    {
        var concatenate = mlContext.Transforms.Concatenate(_output, _columns ?? []);
        if (_toConvert.Length == 0)
        {
            return concatenate;
        }

        var pairs = _toConvert.Select(c => new InputOutputColumnPair(c, c)).ToArray();
        return mlContext.Transforms.Conversion.ConvertType(pairs, DataKind.Single).Append(concatenate);
    }

    // The builder always writes the Features vector.
    internal override string? BuilderCall => _output != DefaultOutput ? null : $".Concatenate({CSharpLiteral.Strings(_columns ?? [])})";

    protected override bool AcceptsColumn(SchemaShape.Column column, out string expected)
    {
        expected = "a numeric or boolean column or vector: one-hot encode or featurise a text column first, or drop it";
        return !column.IsKey && (ColumnTypes.IsNumeric(column.ItemType) || ColumnTypes.IsBoolean(column.ItemType));
    }
}
