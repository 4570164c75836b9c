namespace MlWorkflow.Features;

/// <summary>How a numeric column is normalised.</summary>
public enum NormalizationKind
{
    /// <summary>Divide by the largest magnitude seen in training, zero kept at zero: [0, 1] for values that are not negative (<c>NormalizeMinMax</c>).</summary>
    MinMax,

    /// <summary>Subtract the mean, divide by the standard deviation (<c>NormalizeMeanVariance</c>).</summary>
    MeanVariance,

    /// <summary>Mean-variance normalisation of the logarithm (<c>NormalizeLogMeanVariance</c>).</summary>
    LogMeanVariance,

    /// <summary>Equal-density bins mapped into [0, 1] (<c>NormalizeBinning</c>).</summary>
    Binning,
}
