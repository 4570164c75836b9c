namespace MlWorkflow.Testing.Metrics;

/// <summary>The outcome of one model check, with a message naming the metric, both values, the data set's digest and the run.</summary>
public sealed class MetricCheckResult
{
    /// <summary>Creates an outcome.</summary>
    /// <param name="passed">Whether the check passed.</param>
    /// <param name="message">What was checked and the values compared.</param>
    public MetricCheckResult(bool passed, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Passed = passed;
        Message = message;
    }

    /// <summary>Whether the check passed.</summary>
    public bool Passed { get; }

    /// <summary>What was checked and the values compared, such as <c>Metric 'rmse' of run 'abc' (data set digest 'd1'): expected less than 0.2 but was 0.35.</c></summary>
    public string Message { get; }

    /// <summary>Throws when the check failed; for test frameworks with plain assertions (xUnit, MSTest).</summary>
    /// <exception cref="ModelAssertionException">The check failed; its message is <see cref="Message"/>.</exception>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new ModelAssertionException(Message);
        }
    }

    /// <summary>The message.</summary>
    /// <returns><see cref="Message"/>.</returns>
    public override string ToString() => Message;
}
