using Microsoft.ML;
using MlWorkflow.Evaluation;

namespace MlWorkflow.Features;

/// <summary>
/// Replaces missing values of a numeric scalar column by its median on the rows it is fitted on (the training rows only);
/// ML.NET's replacer has no median mode. The fitted model holds the median as a constant, so it scores and saves as any
/// ML.NET chain. A column with no value at all in training gets 0, as <see cref="MissingValueReplacement.DefaultValue"/>.
/// </summary>
internal sealed class MedianImputation : IEstimator<ITransformer>
{
    private readonly string _column;
    private readonly Func<double, IEstimator<ITransformer>> _replaceWith;

    /// <param name="column">The Single or Double column.</param>
    /// <param name="replaceWith">The estimator that replaces missing values with a constant.</param>
    public MedianImputation(string column, Func<double, IEstimator<ITransformer>> replaceWith)
    {
        _column = column;
        _replaceWith = replaceWith;
    }

    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _replaceWith(Median(DataViewColumns.ReadDoubles(input, _column))).Fit(input);
    }

    // The constant does not change the schema.
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => _replaceWith(0).GetOutputSchema(inputSchema);

    internal static double Median(double[] values)
    {
        var present = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (present.Length == 0)
        {
            return 0;
        }

        var middle = present.Length / 2;
        return present.Length % 2 == 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2;
    }
}
