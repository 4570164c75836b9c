using System.Globalization;
using Microsoft.ML;
using MlWorkflow.CodeGeneration;

namespace MlWorkflow.Features;

/// <summary>The natural logarithm of a numeric column, <c>ln(x)</c> or <c>ln(1 + x)</c>, by ML.NET's expression transform; whole numbers are widened to Double first.</summary>
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

    // A whole-number input is first converted to Double in the output column, so the input column stays as it was.
    public override IEstimator<ITransformer> CreateEstimator(MLContext mlContext) =>
        new WholeNumberWidening(mlContext, _input, _output, column => mlContext.Transforms.Expression(_output, _plusOne ? "x => ln(x + 1)" : "x => ln(x)", column));

    internal override string? BuilderCall =>
        $".{(_plusOne ? "Log1p" : "Log")}({CSharpLiteral.String(_input)}{(_output == _input ? string.Empty : ", " + CSharpLiteral.String(_output))})";

    protected override bool AcceptsColumn(SchemaShape.Column column, out string expected)
    {
        expected = "a numeric column (Single, Double, or whole numbers, which are widened to Double)";
        return !column.IsKey && (ColumnTypes.IsFloatingPoint(column.ItemType) || ColumnTypes.IsWholeNumber(column.ItemType));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}({_input} -> {_output})");
}
