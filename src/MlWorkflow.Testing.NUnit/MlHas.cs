namespace MlWorkflow.Testing.NUnit;

/// <summary>
/// The metric constraints for files that keep NUnit's own <c>Has</c> (<see cref="Has"/> has them too, and the other model checks):
/// <c>Assert.That(result, MlHas.Metric("rmse").LessThan(0.2))</c>.
/// </summary>
public static class MlHas
{
    /// <summary>Starts a constraint on one metric.</summary>
    /// <param name="name">The metric's name, such as <c>rmse</c>.</param>
    /// <returns>The builder to complete with a bound.</returns>
    public static MetricConstraintBuilder Metric(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new MetricConstraintBuilder(name);
    }
}
