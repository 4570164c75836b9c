using MlWorkflow.Testing.Metrics;
using NUnit.Framework.Constraints;

namespace MlWorkflow.Testing.NUnit;

/// <summary>The result of a <see cref="MetricConstraint"/>: NUnit's result with the check's own message.</summary>
public sealed class MetricConstraintResult : ConstraintResult
{
    /// <summary>Creates the result.</summary>
    /// <param name="constraint">The constraint applied.</param>
    /// <param name="actualValue">The value it was applied to.</param>
    /// <param name="outcome">The check's outcome.</param>
    public MetricConstraintResult(IConstraint constraint, object? actualValue, MetricCheckResult outcome)
        : base(constraint, actualValue, (outcome ?? throw new ArgumentNullException(nameof(outcome))).Passed)
    {
        Outcome = outcome;
    }

    /// <summary>The check's outcome, with its message.</summary>
    public MetricCheckResult Outcome { get; }

    /// <summary>Writes the check's message (metric, both values, run, data set digest).</summary>
    /// <param name="writer">The writer.</param>
    public override void WriteMessageTo(MessageWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(Outcome.Message);
    }
}
