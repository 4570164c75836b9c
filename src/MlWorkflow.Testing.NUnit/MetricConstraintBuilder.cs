using MlWorkflow.Testing.Metrics;

namespace MlWorkflow.Testing.NUnit;

/// <summary>One metric, to compare with a bound: <c>MlHas.Metric("rmse").LessThan(0.2)</c>.</summary>
public sealed class MetricConstraintBuilder
{
    internal MetricConstraintBuilder(string name)
    {
        Name = name;
    }

    /// <summary>The metric's name.</summary>
    public string Name { get; }

    /// <summary>The metric is below a bound.</summary>
    /// <param name="bound">The exclusive upper bound.</param>
    /// <returns>The constraint.</returns>
    public MetricConstraint LessThan(double bound) => Make(e => e.LessThan(bound), $"less than {bound:R}");

    /// <summary>The metric is at most a bound.</summary>
    /// <param name="bound">The inclusive upper bound.</param>
    /// <returns>The constraint.</returns>
    public MetricConstraint AtMost(double bound) => Make(e => e.AtMost(bound), $"at most {bound:R}");

    /// <summary>The metric is above a bound.</summary>
    /// <param name="bound">The exclusive lower bound.</param>
    /// <returns>The constraint.</returns>
    public MetricConstraint GreaterThan(double bound) => Make(e => e.GreaterThan(bound), $"greater than {bound:R}");

    /// <summary>The metric is at least a bound.</summary>
    /// <param name="bound">The inclusive lower bound.</param>
    /// <returns>The constraint.</returns>
    public MetricConstraint AtLeast(double bound) => Make(e => e.AtLeast(bound), $"at least {bound:R}");

    /// <summary>The metric lies in a closed range.</summary>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The inclusive upper bound.</param>
    /// <returns>The constraint.</returns>
    public MetricConstraint InRange(double low, double high) => Make(e => e.InRange(low, high), $"in [{low:R}, {high:R}]");

    private MetricConstraint Make(Func<MetricExpectation, MetricCheckResult> check, FormattableString expected) =>
        new(Name, FormattableString.Invariant(expected), check);
}
