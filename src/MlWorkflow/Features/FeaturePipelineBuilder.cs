using Microsoft.ML;

namespace MlWorkflow.Features;

/// <summary>
/// Builds the feature steps of a workflow, read top to bottom:
/// <c>f =&gt; f.Log1p("sales", "log_sales").OneHot("city").ReplaceMissing("inventory")</c>.
/// Each call appends one <see cref="FeatureStep"/>; the steps run in that order.
/// </summary>
public sealed class FeaturePipelineBuilder
{
    private readonly List<FeatureStep> _steps = [];

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<FeatureStep> Steps => _steps;

    /// <summary>Appends a step of your own.</summary>
    /// <param name="step">The step.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder Add(FeatureStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _steps.Add(step);
        return this;
    }

    /// <summary>Natural logarithm <c>ln(x)</c> of a numeric column (NaN for negative x, as ML.NET computes it); a whole-number column (Int32, Int64, ...) is widened to Double first.</summary>
    /// <param name="input">The column to read.</param>
    /// <param name="output">The column to write. The default is <paramref name="input"/> (in place).</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder Log(string input, string? output = null) =>
        Add(new LogTransformStep(input, output ?? input, plusOne: false));

    /// <summary><c>ln(1 + x)</c> of a numeric column, for counts and skewed positive values; a whole-number column (Int32, Int64, ...) is widened to Double first, so the output is Double.</summary>
    /// <param name="input">The column to read.</param>
    /// <param name="output">The column to write. The default is <paramref name="input"/> (in place).</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder Log1p(string input, string? output = null) =>
        Add(new LogTransformStep(input, output ?? input, plusOne: true));

    /// <summary>
    /// Scales columns by the largest magnitude seen in training, in place, as ML.NET's <c>NormalizeMinMax</c> does by default:
    /// zero stays zero (one-hot and sparse columns keep their zeros), so values land in [0, 1] when the training values are
    /// not negative and in [-1, 1] otherwise. The planner applies this scaling before linear trainers.
    /// </summary>
    /// <param name="columns">The numeric columns: Single, Double, or whole numbers, which are widened to Double.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder NormalizeMinMax(params string[] columns) =>
        Add(new NormalizeStep(NormalizationKind.MinMax, InPlace(columns)));

    /// <summary>
    /// Standardises columns, in place: the training mean subtracted, divided by the training standard deviation (with n in
    /// the denominator, as scikit-learn's <c>StandardScaler</c>); new data is scaled by the training rows' figures. A vector
    /// column is centred too, slot by slot, so a sparse vector becomes dense: scale sparse vectors with
    /// <see cref="NormalizeMinMax"/>, which keeps their zeros.
    /// </summary>
    /// <param name="columns">The numeric columns: Single, Double, or whole numbers, which are widened to Double.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder NormalizeMeanVariance(params string[] columns) =>
        Add(new NormalizeStep(NormalizationKind.MeanVariance, InPlace(columns)));

    /// <summary>Standardises the logarithm of columns, in place.</summary>
    /// <param name="columns">The numeric columns: Single, Double, or whole numbers, which are widened to Double.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder NormalizeLogMeanVariance(params string[] columns) =>
        Add(new NormalizeStep(NormalizationKind.LogMeanVariance, InPlace(columns)));

    /// <summary>Bins a column into at most <paramref name="maximumBins"/> equal-density bins, mapped into [0, 1].</summary>
    /// <param name="input">The numeric column: Single, Double, or whole numbers, which are widened to Double.</param>
    /// <param name="maximumBins">The number of bins, at least 2. The default value is 10.</param>
    /// <param name="output">The column to write. The default is <paramref name="input"/> (in place).</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder Bin(string input, int maximumBins = 10, string? output = null) =>
        Add(new NormalizeStep(NormalizationKind.Binning, [new InputOutputColumnPair(output ?? input, input)], maximumBins));

    /// <summary>One-hot encodes a categorical column by a dictionary learnt in training.</summary>
    /// <param name="input">The column (text, numeric, boolean or key).</param>
    /// <param name="output">The column to write. The default is <paramref name="input"/> (in place).</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder OneHot(string input, string? output = null) =>
        Add(new OneHotStep(input, output ?? input, hashBits: null));

    /// <summary>One-hot encodes a categorical column into 2^<paramref name="bits"/> hashed slots (no dictionary).</summary>
    /// <param name="input">The column (text, numeric, boolean or key).</param>
    /// <param name="bits">The number of hash bits, 1 to 30. The default value is 16.</param>
    /// <param name="output">The column to write. The default is <paramref name="input"/> (in place).</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder OneHotHash(string input, int bits = 16, string? output = null) =>
        Add(new OneHotStep(input, output ?? input, bits));

    /// <summary>
    /// Target-encodes a text categorical column in place, for regression and binary labels: each category becomes its mean
    /// label in the training rows minus the overall mean, smoothed towards 0 by <paramref name="smoothing"/> rows (an
    /// m-estimate), so that a rare category cannot carry its few rows' labels into the feature; an unseen category is 0.
    /// For columns with too many categories to one-hot.
    /// </summary>
    /// <param name="input">The text column.</param>
    /// <param name="label">The numeric or Boolean label column, read in training only.</param>
    /// <param name="smoothing">The weight of the overall mean, in rows, 0 or more. The default value is 20.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder TargetEncode(string input, string label, double smoothing = 20) =>
        Add(new TargetEncodeStep(input, label, smoothing));

    /// <summary>
    /// Adds the date parts of a DateTime column, or of a text column of dates (parsed with the invariant culture, for example
    /// <c>2024-03-15</c> or <c>2024-03-15T13:45:00</c>), as Single columns <c>{column}_year</c>, <c>{column}_month</c>,
    /// <c>{column}_day</c>, <c>{column}_day_of_week</c> (0 = Sunday) and, when <paramref name="hour"/> is true,
    /// <c>{column}_hour</c>; a value that is missing or does not parse gives NaN. The column itself stays: drop it after.
    /// </summary>
    /// <param name="column">The DateTime or text column.</param>
    /// <param name="hour">Whether to add the hour. The default value is false.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder DateParts(string column, bool hour = false) => Add(new DatePartsStep(column, hour));

    /// <summary>
    /// Replaces missing (NaN) values of a Single or Double column in place, after writing a boolean indicator
    /// column <c>&lt;column&gt;_missing</c> when <paramref name="indicator"/> is true. A whole-number column has no missing
    /// value but is widened to Double, the type the same column has where values are missing.
    /// </summary>
    /// <param name="column">The column.</param>
    /// <param name="replacement">What replaces a missing value. The default value is <see cref="MissingValueReplacement.Mean"/>;
    /// <see cref="MissingValueReplacement.Median"/> (of the training rows, scalar columns only) resists outliers; use
    /// <see cref="ReplaceMissingWith"/> for a constant.</param>
    /// <param name="indicator">Whether to add the indicator column; false replaces in place and adds no column. The default value is true.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder ReplaceMissing(string column, MissingValueReplacement replacement = MissingValueReplacement.Mean, bool indicator = true)
    {
        if (replacement == MissingValueReplacement.Constant)
        {
            throw new ArgumentException("Use ReplaceMissingWith(column, constant) to replace with a constant.", nameof(replacement));
        }

        return Add(new ReplaceMissingStep(column, replacement, 0, indicator ? column + "_missing" : null));
    }

    /// <summary>Replaces missing (NaN) values of a Single or Double column with a constant, in place; a whole-number column is widened to Double.</summary>
    /// <param name="column">The column.</param>
    /// <param name="constant">The finite replacement value.</param>
    /// <param name="indicator">Whether to add the indicator column <c>&lt;column&gt;_missing</c>. The default value is true.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder ReplaceMissingWith(string column, double constant, bool indicator = true) =>
        Add(new ReplaceMissingStep(column, MissingValueReplacement.Constant, constant, indicator ? column + "_missing" : null));

    /// <summary>Featurises a text column (normalised word and character n-gram counts).</summary>
    /// <param name="input">The text column.</param>
    /// <param name="output">The column to write. The default is <paramref name="input"/> (in place).</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder Text(string input, string? output = null) =>
        Add(new TextFeaturizeStep(input, output ?? input));

    /// <summary>
    /// Concatenates columns into the <c>Features</c> vector. Without columns, every column except the label
    /// (and the columns the label was computed from) is taken. When no concatenation is added, the workflow
    /// adds the automatic one as its last feature step.
    /// </summary>
    /// <param name="columns">The numeric or boolean columns; none for all non-label columns.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder Concatenate(params string[] columns) =>
        Add(new ConcatenateStep(columns.Length == 0 ? null : columns));

    /// <summary>Drops columns.</summary>
    /// <param name="columns">The columns to drop.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder Drop(params string[] columns) => Add(ColumnSelectionStep.Drop(columns));

    /// <summary>Keeps only the named columns (keep the label too).</summary>
    /// <param name="columns">The columns to keep.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder Select(params string[] columns) => Add(ColumnSelectionStep.Select(columns));

    /// <summary>Renames a column.</summary>
    /// <param name="column">The column.</param>
    /// <param name="newName">Its new name.</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder Rename(string column, string newName) => Add(ColumnSelectionStep.Rename(column, newName));

    /// <summary>
    /// A row mapping of your own (ML.NET's <c>CustomMapping</c>): the public fields or properties of
    /// <typeparamref name="TSource"/> name the columns read, those of <typeparamref name="TDestination"/> the columns written.
    /// </summary>
    /// <typeparam name="TSource">The input row class.</typeparam>
    /// <typeparam name="TDestination">The output row class.</typeparam>
    /// <param name="name">A name for the mapping, as logged.</param>
    /// <param name="mapping">The mapping; it must be thread-safe and deterministic.</param>
    /// <param name="contractName">The contract name of a registered <c>CustomMappingFactory</c>; needed only to save the model.
    /// The default is none (the model then cannot be saved).</param>
    /// <returns>This builder.</returns>
    public FeaturePipelineBuilder Map<TSource, TDestination>(string name, Action<TSource, TDestination> mapping, string? contractName = null)
        where TSource : class, new()
        where TDestination : class, new() =>
        Add(new CustomMappingStep<TSource, TDestination>(name, mapping, contractName));

    private static InputOutputColumnPair[] InPlace(string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A column name cannot be empty.", nameof(columns));
        }

        return columns.Select(c => new InputOutputColumnPair(c, c)).ToArray();
    }
}
