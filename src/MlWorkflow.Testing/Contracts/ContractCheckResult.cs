using MlWorkflow.Testing.Metrics;

namespace MlWorkflow.Testing.Contracts;

/// <summary>The outcome of a model contract check (<see cref="ModelContract"/>): what was checked and each problem found.</summary>
public sealed class ContractCheckResult
{
    /// <summary>Creates an outcome.</summary>
    /// <param name="subject">What was checked, such as <c>Model 'runs:/abc/model' on the golden inputs (240 rows)</c>.</param>
    /// <param name="problems">The problems found; empty when the check passed.</param>
    public ContractCheckResult(string subject, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(problems);
        Subject = subject;
        Problems = problems;
    }

    /// <summary>What was checked.</summary>
    public string Subject { get; }

    /// <summary>The problems found, one line each (missing, extra or mistyped columns, a scoring error, differing metrics); empty when the check passed.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Whether the check passed.</summary>
    public bool Passed => Problems.Count == 0;

    /// <summary>The subject and whether it passed, then one line per problem.</summary>
    public string Message => Passed
        ? $"{Subject}: passed."
        : $"{Subject}: {Problems.Count} {(Problems.Count == 1 ? "problem" : "problems")}:{Environment.NewLine}{string.Join(Environment.NewLine, Problems.Select(p => "- " + p))}";

    /// <summary>Throws when the check failed; for test frameworks with plain assertions (xUnit, MSTest).</summary>
    /// <exception cref="ModelAssertionException">The check failed; the message is <see cref="Message"/>.</exception>
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
