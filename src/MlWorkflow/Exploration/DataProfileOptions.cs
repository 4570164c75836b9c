using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MlWorkflow.Exploration;

/// <summary>Bounds of <see cref="DataProfile.ComputeAsync(Microsoft.ML.IDataView, string?, DataProfileOptions?, CancellationToken)"/>: memory stays bounded whatever the data's size.</summary>
public sealed class DataProfileOptions
{
    /// <summary>
    /// Distinct values are counted exactly up to this many per column, then estimated (HyperLogLog, about 1% error); top
    /// values are then counted among the values seen before the limit. At least 1. The default value is 10000.
    /// </summary>
    public int ExactDistinctLimit { get; init; } = 10_000;

    /// <summary>Bins of each numeric histogram, 1 to 1000. The default value is 20.</summary>
    public int HistogramBins { get; init; } = 20;

    /// <summary>How many of the most frequent values are reported per categorical column, at least 1. The default value is 10.</summary>
    public int TopValues { get; init; } = 10;

    /// <summary>
    /// Rows kept in a uniform sample (reservoir) for quantiles and Spearman correlations; below it they are exact. At
    /// least 10. The default value is 100000.
    /// </summary>
    public int SampleSize { get; init; } = 100_000;

    /// <summary>Where to say how long profiling took. The default value is <see cref="NullLogger.Instance"/> (nothing is logged).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The seed of the sample. The default value is 42.</summary>
    public int Seed { get; init; } = 42;

    internal void Check()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ExactDistinctLimit, 1, nameof(ExactDistinctLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(HistogramBins, 1, nameof(HistogramBins));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HistogramBins, 1000, nameof(HistogramBins));
        ArgumentOutOfRangeException.ThrowIfLessThan(TopValues, 1, nameof(TopValues));
        ArgumentOutOfRangeException.ThrowIfLessThan(SampleSize, 10, nameof(SampleSize));
    }
}
