using System.Globalization;

namespace MlWorkflow.Testing.Metrics;

/// <summary>One metric of a <see cref="MetricSubject"/>, to compare with a bound; each comparison returns a <see cref="MetricCheckResult"/>.</summary>
public sealed class MetricExpectation
{
    internal MetricExpectation(MetricSubject subject, string name)
    {
        Subject = subject;
        Name = name;
    }

    /// <summary>The metrics and where they come from.</summary>
    public MetricSubject Subject { get; }

    /// <summary>The metric's name.</summary>
    public string Name { get; }

    /// <summary>Checks that the metric is below a bound.</summary>
    /// <param name="bound">The exclusive upper bound.</param>
    /// <returns>The outcome.</returns>
    public MetricCheckResult LessThan(double bound) => Check(v => v < bound, Describe("less than", bound));

    /// <summary>Checks that the metric is at most a bound.</summary>
    /// <param name="bound">The inclusive upper bound.</param>
    /// <returns>The outcome.</returns>
    public MetricCheckResult AtMost(double bound) => Check(v => v <= bound, Describe("at most", bound));

    /// <summary>Checks that the metric is above a bound.</summary>
    /// <param name="bound">The exclusive lower bound.</param>
    /// <returns>The outcome.</returns>
    public MetricCheckResult GreaterThan(double bound) => Check(v => v > bound, Describe("greater than", bound));

    /// <summary>Checks that the metric is at least a bound.</summary>
    /// <param name="bound">The inclusive lower bound.</param>
    /// <returns>The outcome.</returns>
    public MetricCheckResult AtLeast(double bound) => Check(v => v >= bound, Describe("at least", bound));

    /// <summary>Checks that the metric lies in a closed range.</summary>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The inclusive upper bound.</param>
    /// <returns>The outcome.</returns>
    public MetricCheckResult InRange(double low, double high) =>
        Check(v => v >= low && v <= high, string.Create(CultureInfo.InvariantCulture, $"in [{low:R}, {high:R}]"));

    /// <summary>Checks the metric with any predicate.</summary>
    /// <param name="predicate">True when the value is acceptable.</param>
    /// <param name="expected">What the predicate expects, for the message, such as <c>less than 0.2</c>.</param>
    /// <returns>The outcome.</returns>
    public MetricCheckResult Check(Func<double, bool> predicate, string expected)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(expected);
        if (!Subject.Metrics.TryGetValue(Name, out var value))
        {
            var names = string.Join(", ", Subject.Metrics.Keys.Take(20));
            return new MetricCheckResult(false, string.Create(CultureInfo.InvariantCulture,
                $"Metric '{Name}' of {Subject}: expected {expected} but it is missing; there are: {names}."));
        }

        var passed = !double.IsNaN(value) && predicate(value);
        return new MetricCheckResult(passed, string.Create(CultureInfo.InvariantCulture,
            $"Metric '{Name}' of {Subject}: expected {expected} {(passed ? "and" : "but")} was {value:R}."));
    }

    private static string Describe(string comparison, double bound) =>
        string.Create(CultureInfo.InvariantCulture, $"{comparison} {bound:R}");
}
