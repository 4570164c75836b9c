using Microsoft.ML;
using MlWorkflow.CodeGeneration;

namespace MlWorkflow.Features;

/// <summary>Text featurisation (normalisation, word and character n-grams) of a text column.</summary>
internal sealed class TextFeaturizeStep : FeatureStep
{
    private readonly string _input;
    private readonly string _output;

    public TextFeaturizeStep(string input, string output)
        : base("featurize_text")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        _input = input;
        _output = output;
    }

    public override IReadOnlyList<string> InputColumns => [_input];

    public override IReadOnlyList<string> OutputColumns => [_output];

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["input"] = _input, ["output"] = _output };

    public override IEstimator<ITransformer> CreateEstimator(MLContext mlContext) =>
        mlContext.Transforms.Text.FeaturizeText(_output, _input);

    internal override string? BuilderCall =>
        $".Text({CSharpLiteral.String(_input)}{(_output == _input ? string.Empty : ", " + CSharpLiteral.String(_output))})";

    protected override bool AcceptsColumn(SchemaShape.Column column, out string expected)
    {
        expected = "a text column";
        return !column.IsKey && ColumnTypes.IsText(column.ItemType);
    }
}
