using System.Globalization;
using Microsoft.ML;
using MlWorkflow.CodeGeneration;

namespace MlWorkflow.Features;

/// <summary>One-hot encoding of a categorical column, by dictionary or by hashing.</summary>
internal sealed class OneHotStep : FeatureStep
{
    private readonly string _input;
    private readonly string _output;
    private readonly int? _hashBits;

    public OneHotStep(string input, string output, int? hashBits)
        : base(hashBits is null ? "one_hot" : "one_hot_hash")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        if (hashBits is < 1 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(hashBits), hashBits, "Hashed one-hot takes 1 to 30 bits.");
        }

        _input = input;
        _output = output;
        _hashBits = hashBits;
    }

    public override IReadOnlyList<string> InputColumns => [_input];

    public override IReadOnlyList<string> OutputColumns => [_output];

    public override IReadOnlyDictionary<string, string> Parameters
    {
        get
        {
            var parameters = new Dictionary<string, string> { ["input"] = _input, ["output"] = _output };
            if (_hashBits is { } bits)
            {
                parameters["bits"] = bits.ToString(CultureInfo.InvariantCulture);
            }

            return parameters;
        }
    }

    public override IEstimator<ITransformer> CreateEstimator(MLContext mlContext) => _hashBits is { } bits
        ? mlContext.Transforms.Categorical.OneHotHashEncoding(_output, _input, numberOfBits: bits)
        : mlContext.Transforms.Categorical.OneHotEncoding(_output, _input);

    internal override string? BuilderCall
    {
        get
        {
            var output = _output == _input ? string.Empty : $", output: {CSharpLiteral.String(_output)}";
            return _hashBits is { } bits
                ? $".OneHotHash({CSharpLiteral.String(_input)}, bits: {CSharpLiteral.Value(bits)}{output})"
                : $".OneHot({CSharpLiteral.String(_input)}{output})";
        }
    }

    protected override bool AcceptsColumn(SchemaShape.Column column, out string expected)
    {
        expected = "a text, numeric, boolean or key column";
        return column.IsKey || ColumnTypes.IsText(column.ItemType) || ColumnTypes.IsNumeric(column.ItemType)
            || ColumnTypes.IsBoolean(column.ItemType);
    }
}
