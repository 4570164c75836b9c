using System.Globalization;
using Microsoft.ML;

namespace MlWorkflow.Features;

/// <summary>The natural logarithm of a numeric column, <c>ln(x)</c> or <c>ln(1 + x)</c>, by ML.NET's expression transform.</summary>
internal sealed class LogTransformStep : FeatureStep
{
    private readonly string _input;
    private readonly string _output;
    private readonly bool _plusOne;

    public LogTransformStep(string input, string output, bool plusOne)
        : base(plusOne ? "log1p" : "log")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        _input = input;
        _output = output;
        _plusOne = plusOne;
    }

    public override IReadOnlyList<string> InputColumns => [_input];

    public override IReadOnlyList<string> OutputColumns => [_output];

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["input"] = _input, ["output"] = _output };

    public override IEstimator<ITransformer> CreateEstimator(MLContext mlContext) =>
        mlContext.Transforms.Expression(_output, _plusOne ? "x => ln(x + 1)" : "x => ln(x)", _input);

    protected override bool AcceptsColumn(SchemaShape.Column column, out string expected)
    {
        expected = "a numeric (Single or Double) column";
        return !column.IsKey && ColumnTypes.IsFloatingPoint(column.ItemType);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}({_input} -> {_output})");
}
