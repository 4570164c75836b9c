using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.CodeGeneration;

namespace MlWorkflow.Features;

/// <summary>
/// Target encoding of a text categorical column, in place: each category becomes its smoothed mean label in the training
/// rows, minus the training mean, as a Single (an m-estimate: (sum + m · mean) / (count + m), so a category seen in few rows
/// stays near the mean, which is what keeps its own rows' labels from leaking into the feature). A category not seen in
/// training, or a missing value, is 0 (the training mean). The label must be numeric or Boolean (regression, binary).
/// </summary>
internal sealed class TargetEncodeStep : FeatureStep
{
    private readonly string _input;
    private readonly string _label;
    private readonly double _smoothing;

    public TargetEncodeStep(string input, string label, double smoothing)
        : base("target_encode")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        if (!double.IsFinite(smoothing) || smoothing < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "The smoothing weight is a finite number of rows, 0 or more.");
        }

        _input = input;
        _label = label;
        _smoothing = smoothing;
    }

    public override IReadOnlyList<string> InputColumns => [_input];

    public override IReadOnlyList<string> OutputColumns => [_input];

    public override IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string>
    {
        ["input"] = _input,
        ["label"] = _label,
        ["smoothing"] = _smoothing.ToString("R", CultureInfo.InvariantCulture),
    };

    public override IEstimator<ITransformer> CreateEstimator(MLContext mlContext) => new Estimator(mlContext, _input, _label, _smoothing);

    internal override string? BuilderCall =>
        $".TargetEncode({CSharpLiteral.String(_input)}, {CSharpLiteral.String(_label)}, smoothing: {CSharpLiteral.Value(_smoothing)})";

    protected override bool AcceptsColumn(SchemaShape.Column column, out string expected)
    {
        expected = "a text column";
        return column.Kind == SchemaShape.Column.VectorKind.Scalar && !column.IsKey && ColumnTypes.IsText(column.ItemType);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}({_input}, label={_label}, smoothing={_smoothing})");

    // Learns the category means from the rows it is fitted on, then is ML.NET's value mapping (saved and reloaded as such).
    private sealed class Estimator(MLContext ml, string input, string label, double smoothing) : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView data)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (data.Schema.GetColumnOrNull(label) is not { } labelColumn
                || !(labelColumn.Type is NumberDataViewType || labelColumn.Type is BooleanDataViewType))
            {
                throw new InvalidOperationException($"target encoding of '{input}' needs the numeric or Boolean label column '{label}' in the training rows.");
            }

            var converted = ml.Transforms.Conversion.ConvertType("__mlw_target", label, DataKind.Double).Fit(data).Transform(data);
            var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
            double total = 0;
            var rows = 0;
            using (var cursor = converted.GetRowCursor([converted.Schema[input], converted.Schema["__mlw_target"]]))
            {
                var category = cursor.GetGetter<ReadOnlyMemory<char>>(converted.Schema[input]);
                var target = cursor.GetGetter<double>(converted.Schema["__mlw_target"]);
                ReadOnlyMemory<char> text = default;
                double y = 0;
                while (cursor.MoveNext())
                {
                    target(ref y);
                    if (double.IsNaN(y))
                    {
                        continue;
                    }

                    category(ref text);
                    total += y;
                    rows++;
                    if (text.Length == 0)
                    {
                        continue;
                    }

                    var key = text.ToString();
                    var (sum, count) = sums.GetValueOrDefault(key);
                    sums[key] = (sum + y, count + 1);
                }
            }

            var mean = rows == 0 ? 0 : total / rows;
            var lookup = sums.Select(p => new KeyValuePair<string, float>(p.Key, (float)(((p.Value.Sum + (smoothing * mean)) / (p.Value.Count + smoothing)) - mean)));
            return Mapping(lookup).Fit(data);
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            ArgumentNullException.ThrowIfNull(inputSchema);
            return Mapping([new KeyValuePair<string, float>(string.Empty, 0f)]).GetOutputSchema(inputSchema);
        }

        private Microsoft.ML.Transforms.ValueMappingEstimator<string, float> Mapping(IEnumerable<KeyValuePair<string, float>> lookup) =>
            ml.Transforms.Conversion.MapValue(input, lookup, input);
    }
}
