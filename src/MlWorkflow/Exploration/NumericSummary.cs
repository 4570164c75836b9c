namespace MlWorkflow.Exploration;

/// <summary>The distribution of a numeric column over its present (non-missing) values.</summary>
public sealed class NumericSummary
{
    internal NumericSummary(double minimum, double maximum, double mean, double standardDeviation, IReadOnlyList<double> quantiles, bool quantilesExact, IReadOnlyList<HistogramBin> histogram)
    {
        Minimum = minimum;
        Maximum = maximum;
        Mean = mean;
        StandardDeviation = standardDeviation;
        Quantiles = quantiles;
        AreQuantilesExact = quantilesExact;
        Histogram = histogram;
    }

    /// <summary>The quantile levels of <see cref="Quantiles"/>: 0.05, 0.25, 0.5, 0.75 and 0.95.</summary>
    public static IReadOnlyList<double> QuantileLevels { get; } = [0.05, 0.25, 0.5, 0.75, 0.95];

    /// <summary>The smallest value.</summary>
    public double Minimum { get; }

    /// <summary>The largest value.</summary>
    public double Maximum { get; }

    /// <summary>The mean.</summary>
    public double Mean { get; }

    /// <summary>The sample standard deviation (n − 1); 0 for a single value.</summary>
    public double StandardDeviation { get; }

    /// <summary>The values at <see cref="QuantileLevels"/> (linear interpolation between order statistics).</summary>
    public IReadOnlyList<double> Quantiles { get; }

    /// <summary>The median (the 0.5 quantile).</summary>
    public double Median => Quantiles[2];

    /// <summary>Whether the quantiles are computed on every row (true) or on a uniform sample of <see cref="DataProfileOptions.SampleSize"/> rows.</summary>
    public bool AreQuantilesExact { get; }

    /// <summary>Equal-width bins from <see cref="Minimum"/> to <see cref="Maximum"/> (<see cref="DataProfileOptions.HistogramBins"/> of them), counted over every row.</summary>
    public IReadOnlyList<HistogramBin> Histogram { get; }
}
