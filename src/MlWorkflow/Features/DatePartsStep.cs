using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.CodeGeneration;

namespace MlWorkflow.Features;

/// <summary>
/// Date parts of a DateTime column, or of a text column holding dates (parsed with the invariant culture): year, month,
/// day, day of week (0 = Sunday) and, when asked, hour, as Single columns <c>{column}_year</c>, <c>{column}_month</c>, ...;
/// a value that does not parse gives NaN in every part. The input column is left as it is.
/// </summary>
internal sealed class DatePartsStep : FeatureStep
{
    private readonly string _input;
    private readonly bool _hour;

    public DatePartsStep(string input, bool hour)
        : base("date_parts")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        _input = input;
        _hour = hour;
    }

    public override IReadOnlyList<string> InputColumns => [_input];

    public override IReadOnlyList<string> OutputColumns => [.. Parts.Select(p => _input + "_" + p)];

    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["input"] = _input, ["hour"] = _hour ? "true" : "false" };

    private IEnumerable<string> Parts => _hour ? DateParts.Names : DateParts.Names.Take(4);

    public override IEstimator<ITransformer> CreateEstimator(MLContext mlContext) => new DatePartsEstimator(mlContext, _input, [.. Parts]);

    internal override string? BuilderCall => $".DateParts({CSharpLiteral.String(_input)}{(_hour ? ", hour: true" : string.Empty)})";

    protected override bool AcceptsColumn(SchemaShape.Column column, out string expected)
    {
        expected = "a DateTime column or a text column of dates";
        return column.Kind == SchemaShape.Column.VectorKind.Scalar && !column.IsKey
            && (column.ItemType is DateTimeDataViewType || ColumnTypes.IsText(column.ItemType));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}({_input}{(_hour ? ", hour" : string.Empty)})");

    // Chooses the text or the DateTime mapping when the data's type is seen; the mapping reads and writes fixed column names
    // (a saved custom mapping is reloaded by its contract name alone), copied from and to the step's columns around it.
    private sealed class DatePartsEstimator(MLContext ml, string input, string[] parts) : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView data)
        {
            ArgumentNullException.ThrowIfNull(data);
            return Chain(data.Schema.GetColumnOrNull(input)?.Type is DateTimeDataViewType).Fit(data);
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            ArgumentNullException.ThrowIfNull(inputSchema);
            return Chain(inputSchema.TryFindColumn(input, out var column) && column.ItemType is DateTimeDataViewType).GetOutputSchema(inputSchema);
        }

        private EstimatorChain<ITransformer> Chain(bool isDateTime)
        {
            IEstimator<ITransformer> mapping = isDateTime
                ? ml.Transforms.CustomMapping<DateParts.DateTimeInput, DateParts.Output>(DateParts.FromDateTime, DateParts.DateTimeContract)
                : ml.Transforms.CustomMapping<DateParts.TextInput, DateParts.Output>(DateParts.FromText, DateParts.TextContract);
            var chain = new EstimatorChain<ITransformer>()
                .Append<ITransformer>(ml.Transforms.CopyColumns(DateParts.InputColumn, input))
                .Append(mapping);
            foreach (var part in parts)
            {
                chain = chain.Append<ITransformer>(ml.Transforms.CopyColumns(input + "_" + part, DateParts.Prefix + part));
            }

            return chain.Append<ITransformer>(ml.Transforms.DropColumns([DateParts.InputColumn, .. DateParts.Names.Select(p => DateParts.Prefix + p)]));
        }
    }
}
