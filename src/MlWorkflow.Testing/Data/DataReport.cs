using MlWorkflow.Testing.Metrics;

namespace MlWorkflow.Testing.Data;

/// <summary>The outcome of <see cref="DataExpectations.Check"/>: the expectations the data did not meet.</summary>
public sealed class DataReport
{
    internal DataReport(IReadOnlyList<DataExpectationFailure> failures, int checkedCount)
    {
        Failures = failures;
        CheckedCount = checkedCount;
    }

    /// <summary>The expectations not met, in the order they were declared; empty when the data meets them all.</summary>
    public IReadOnlyList<DataExpectationFailure> Failures { get; }

    /// <summary>How many expectations were checked.</summary>
    public int CheckedCount { get; }

    /// <summary>Whether the data meets every expectation.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>A summary line, then one line per failure.</summary>
    public string Message => Passed
        ? $"The data meets all {CheckedCount} expectations."
        : $"The data fails {Failures.Count} of {CheckedCount} expectations:{Environment.NewLine}{string.Join(Environment.NewLine, Failures.Select(f => "- " + f))}";

    /// <summary>Throws when the data fails an expectation.</summary>
    /// <exception cref="ModelAssertionException">An expectation failed; the message is <see cref="Message"/>.</exception>
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
