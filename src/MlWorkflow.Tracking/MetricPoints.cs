namespace MlWorkflow.Tracking;

/// <summary>
/// A metric's history as three columns (step, timestamp, value) in the order logged: what a chart or a sampler needs,
/// without a <see cref="Metric"/> object per point (a million points take 24 MB here, several times that as objects).
/// </summary>
public sealed class MetricPoints
{
    private readonly long[] _steps;
    private readonly long[] _timestamps;
    private readonly double[] _values;

    /// <summary>Wraps columns of equal length; the arrays are kept, not copied, and must not change afterwards.</summary>
    /// <param name="steps">The steps.</param>
    /// <param name="timestamps">The timestamps, in milliseconds since the Unix epoch.</param>
    /// <param name="values">The values; NaN and ±Infinity are allowed.</param>
    /// <param name="count">How many leading entries of the arrays are points; at most the length of each array.</param>
    /// <exception cref="ArgumentException">An array is shorter than <paramref name="count"/>.</exception>
    public MetricPoints(long[] steps, long[] timestamps, double[] values, int count)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (steps.Length < count || timestamps.Length < count || values.Length < count)
        {
            throw new ArgumentException($"Every column must hold at least {count} entries (count).", nameof(count));
        }

        _steps = steps;
        _timestamps = timestamps;
        _values = values;
        Count = count;
    }

    /// <summary>No points.</summary>
    public static MetricPoints Empty { get; } = new([], [], [], 0);

    /// <summary>The number of points.</summary>
    public int Count { get; }

    /// <summary>The step of each point.</summary>
    public ReadOnlySpan<long> Steps => _steps.AsSpan(0, Count);

    /// <summary>The timestamp of each point, in milliseconds since the Unix epoch.</summary>
    public ReadOnlySpan<long> Timestamps => _timestamps.AsSpan(0, Count);

    /// <summary>The value of each point.</summary>
    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count);

    /// <summary>The columns of a list of metrics (all of one key), in the list's order.</summary>
    /// <param name="metrics">The points.</param>
    /// <returns>The points as columns.</returns>
    public static MetricPoints FromMetrics(IReadOnlyList<Metric> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var steps = new long[metrics.Count];
        var timestamps = new long[metrics.Count];
        var values = new double[metrics.Count];
        for (var i = 0; i < metrics.Count; i++)
        {
            steps[i] = metrics[i].Step;
            timestamps[i] = metrics[i].Timestamp;
            values[i] = metrics[i].Value;
        }

        return new MetricPoints(steps, timestamps, values, metrics.Count);
    }
}
