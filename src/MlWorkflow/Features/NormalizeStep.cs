using System.Globalization;
using Microsoft.ML;
using MlWorkflow.CodeGeneration;

namespace MlWorkflow.Features;

/// <summary>Normalisation or binning of numeric columns (in place, or into a new column).</summary>
internal sealed class NormalizeStep : FeatureStep
{
    private readonly InputOutputColumnPair[] _columns;
    private readonly NormalizationKind _kind;
    private readonly int _maximumBinCount;

    public NormalizeStep(NormalizationKind kind, InputOutputColumnPair[] columns, int maximumBinCount = 1024)
        : base(kind switch
        {
            NormalizationKind.MinMax => "normalize_min_max",
            NormalizationKind.MeanVariance => "normalize_mean_variance",
            NormalizationKind.LogMeanVariance => "normalize_log_mean_variance",
            NormalizationKind.Binning => "bin",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown normalisation"),
        })
    {
        if (columns.Length == 0)
        {
            throw new ArgumentException("Name at least one column to normalise.", nameof(columns));
        }

        if (maximumBinCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maximumBinCount), maximumBinCount, "A binning needs at least 2 bins.");
        }

        _kind = kind;
        _columns = columns;
        _maximumBinCount = maximumBinCount;
    }

    public override IReadOnlyList<string> InputColumns => _columns.Select(c => c.InputColumnName).ToArray();

    public override IReadOnlyList<string> OutputColumns => _columns.Select(c => c.OutputColumnName).ToArray();

    public override IReadOnlyDictionary<string, string> Parameters
    {
        get
        {
            var parameters = new Dictionary<string, string> { ["columns"] = string.Join(",", InputColumns) };
            if (_kind == NormalizationKind.Binning)
            {
                parameters["maximum_bins"] = _maximumBinCount.ToString(CultureInfo.InvariantCulture);
            }

            return parameters;
        }
    }

    // A whole-number column (a count read as Int32) is widened to Double into the output column first, which the
    // normaliser then scales in place; Single and Double columns are read as they are.
    public override IEstimator<ITransformer> CreateEstimator(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return Widened(mlContext, 0, []);
    }

    private IEstimator<ITransformer> Widened(MLContext mlContext, int index, InputOutputColumnPair[] read)
    {
        if (index == _columns.Length)
        {
            return Normalizer(mlContext, read);
        }

        var column = _columns[index];
        return new WholeNumberWidening(
            mlContext,
            column.InputColumnName,
            column.OutputColumnName,
            actual => Widened(mlContext, index + 1, [.. read, new InputOutputColumnPair(column.OutputColumnName, actual)]));
    }

    private Microsoft.ML.Transforms.NormalizingEstimator Normalizer(MLContext mlContext, InputOutputColumnPair[] columns) => _kind switch
    {
        NormalizationKind.MinMax => mlContext.Transforms.NormalizeMinMax(columns),
        NormalizationKind.MeanVariance => mlContext.Transforms.NormalizeMeanVariance(columns, fixZero: false),
        NormalizationKind.LogMeanVariance => mlContext.Transforms.NormalizeLogMeanVariance(columns),
        _ => mlContext.Transforms.NormalizeBinning(columns, maximumBinCount: _maximumBinCount),
    };

    // The builder normalises in place, and bins one column at a time; other shapes have no builder call.
    internal override string? BuilderCall
    {
        get
        {
            if (_kind == NormalizationKind.Binning)
            {
                if (_columns.Length != 1)
                {
                    return null;
                }

                var (input, output) = (_columns[0].InputColumnName, _columns[0].OutputColumnName);
                var outputArgument = output == input ? string.Empty : $", output: {CSharpLiteral.String(output)}";
                return $".Bin({CSharpLiteral.String(input)}, maximumBins: {CSharpLiteral.Value(_maximumBinCount)}{outputArgument})";
            }

            if (_columns.Any(c => c.InputColumnName != c.OutputColumnName))
            {
                return null;
            }

            var method = _kind switch
            {
                NormalizationKind.MinMax => "NormalizeMinMax",
                NormalizationKind.MeanVariance => "NormalizeMeanVariance",
                _ => "NormalizeLogMeanVariance",
            };
            return $".{method}({CSharpLiteral.Strings(InputColumns)})";
        }
    }

    protected override bool AcceptsColumn(SchemaShape.Column column, out string expected)
    {
        expected = "a numeric column or vector (Single, Double, or whole numbers, which are widened to Double)";
        return !column.IsKey && (ColumnTypes.IsFloatingPoint(column.ItemType) || ColumnTypes.IsWholeNumber(column.ItemType));
    }
}
