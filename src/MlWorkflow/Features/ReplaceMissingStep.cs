using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Transforms;
using MlWorkflow.CodeGeneration;

namespace MlWorkflow.Features;

/// <summary>Replaces missing (NaN) values of a numeric column, optionally writing a boolean indicator column first; a whole-number column is widened to Double.</summary>
internal sealed class ReplaceMissingStep : FeatureStep
{
    private readonly string _column;
    private readonly MissingValueReplacement _replacement;
    private readonly double _constant;
    private readonly string? _indicatorColumn;

    public ReplaceMissingStep(string column, MissingValueReplacement replacement, double constant, string? indicatorColumn)
        : base("replace_missing")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        if (!Enum.IsDefined(replacement))
        {
            throw new ArgumentOutOfRangeException(nameof(replacement), replacement, "unknown replacement");
        }

        if (replacement == MissingValueReplacement.Constant && !double.IsFinite(constant))
        {
            throw new ArgumentOutOfRangeException(nameof(constant), constant, "The replacement constant must be a finite number.");
        }

        if (indicatorColumn is not null && (indicatorColumn.Trim().Length == 0 || indicatorColumn == column))
        {
            throw new ArgumentException($"The indicator column must be a new, non-empty column name, not '{indicatorColumn}'.", nameof(indicatorColumn));
        }

        _column = column;
        _replacement = replacement;
        _constant = constant;
        _indicatorColumn = indicatorColumn;
    }

    public override IReadOnlyList<string> InputColumns => [_column];

    public override IReadOnlyList<string> OutputColumns =>
        _indicatorColumn is null ? [_column] : [_column, _indicatorColumn];

    public override IReadOnlyDictionary<string, string> Parameters
    {
        get
        {
            var parameters = new Dictionary<string, string>
            {
                ["column"] = _column,
                ["replacement"] = _replacement.ToString().ToLowerInvariant(),
            };
            if (_replacement == MissingValueReplacement.Constant)
            {
                parameters["constant"] = _constant.ToString("R", CultureInfo.InvariantCulture);
            }

            if (_indicatorColumn is not null)
            {
                parameters["indicator"] = _indicatorColumn;
            }

            return parameters;
        }
    }

    // A whole-number column has no missing value, but it is widened to Double in place so that the column has the type it
    // has in data where values are missing (a count read as Double from a file with gaps, as Int32 from one without).
    public override IEstimator<ITransformer> CreateEstimator(MLContext mlContext) =>
        new WholeNumberWidening(mlContext, _column, _column, _ => CreateReplacement(mlContext));

    private IEstimator<ITransformer> CreateReplacement(MLContext mlContext)
    {
        IEstimator<ITransformer> replace = _replacement switch
        {
            MissingValueReplacement.Mean => Replace(mlContext, MissingValueReplacingEstimator.ReplacementMode.Mean),
            MissingValueReplacement.Minimum => Replace(mlContext, MissingValueReplacingEstimator.ReplacementMode.Minimum),
            MissingValueReplacement.Maximum => Replace(mlContext, MissingValueReplacingEstimator.ReplacementMode.Maximum),
            MissingValueReplacement.DefaultValue => Replace(mlContext, MissingValueReplacingEstimator.ReplacementMode.DefaultValue),
            MissingValueReplacement.Median => new MedianImputation(_column, median => ReplaceWith(mlContext, median)),
            _ => ReplaceWith(mlContext, _constant),
        };
        return _indicatorColumn is null
            ? replace
            : mlContext.Transforms.IndicateMissingValues(_indicatorColumn, _column).Append(replace);
    }

    // The builder names the indicator "<column>_missing"; a step with another indicator name has no builder call.
    internal override string? BuilderCall
    {
        get
        {
            if (_indicatorColumn is not null && _indicatorColumn != _column + "_missing")
            {
                return null;
            }

            var indicator = _indicatorColumn is null ? ", indicator: false" : string.Empty;
            var column = CSharpLiteral.String(_column);
            return _replacement switch
            {
                MissingValueReplacement.Constant => $".ReplaceMissingWith({column}, {CSharpLiteral.Double(_constant)}{indicator})",
                MissingValueReplacement.Mean => $".ReplaceMissing({column}{indicator})",
                _ => $".ReplaceMissing({column}, MissingValueReplacement.{_replacement}{indicator})",
            };
        }
    }

    protected override bool AcceptsColumn(SchemaShape.Column column, out string expected)
    {
        var scalarOnly = _replacement is MissingValueReplacement.Constant or MissingValueReplacement.Median;
        expected = scalarOnly
            ? "a numeric scalar column (Single, Double, or whole numbers, which are widened to Double)"
            : "a numeric column or vector (Single, Double, or whole numbers, which are widened to Double)";
        return !column.IsKey && (ColumnTypes.IsFloatingPoint(column.ItemType) || ColumnTypes.IsWholeNumber(column.ItemType))
            && (!scalarOnly || column.Kind == SchemaShape.Column.VectorKind.Scalar);
    }

    private MissingValueReplacingEstimator Replace(MLContext mlContext, MissingValueReplacingEstimator.ReplacementMode mode) =>
        mlContext.Transforms.ReplaceMissingValues(_column, _column, mode);

    private ExpressionEstimator ReplaceWith(MLContext mlContext, double constant) =>
        mlContext.Transforms.Expression(
            _column,
            string.Create(CultureInfo.InvariantCulture, $"x => isna(x) ? {ConstantLiteral(constant)} : x"),
            _column);

    // The expression language types a literal with a decimal point as Single; "x ? a : b" keeps x's type that way.
    private static string ConstantLiteral(double constant)
    {
        var text = constant.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }
}
