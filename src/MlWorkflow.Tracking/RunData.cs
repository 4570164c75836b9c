namespace MlWorkflow.Tracking;

/// <summary>The logged data of a run: the latest value of each metric, the params and the tags.</summary>
/// <param name="Metrics">One entry per metric key: its latest value (highest step, then latest timestamp, then largest value).</param>
/// <param name="Params">The parameters.</param>
/// <param name="Tags">The tags.</param>
public sealed record RunData(IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<RunTag> Tags)
{
    /// <summary>Data with nothing logged.</summary>
    public static RunData Empty { get; } = new(Array.Empty<Metric>(), Array.Empty<Param>(), Array.Empty<RunTag>());

    /// <summary>Finds the latest value of a metric.</summary>
    /// <param name="key">The metric key.</param>
    /// <returns>The metric, or null when it was never logged.</returns>
    public Metric? GetMetric(string key) => Metrics.FirstOrDefault(m => m.Key == key);

    /// <summary>Finds a parameter's value.</summary>
    /// <param name="key">The parameter key.</param>
    /// <returns>The value, or null when it was never logged.</returns>
    public string? GetParam(string key) => Params.FirstOrDefault(p => p.Key == key)?.Value;

    /// <summary>Finds a tag's value.</summary>
    /// <param name="key">The tag key.</param>
    /// <returns>The value, or null when the tag is not set.</returns>
    public string? GetTag(string key) => Tags.FirstOrDefault(t => t.Key == key)?.Value;
}
