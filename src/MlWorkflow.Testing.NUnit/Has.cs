namespace MlWorkflow.Testing.NUnit;

/// <summary>
/// NUnit's <c>Has</c> with the model checks added, by NUnit's extension pattern (see <see cref="Is"/>):
/// <c>Assert.That(result, Has.Metric("rmse").LessThan(0.2))</c>. A file that imports both namespaces names it with an alias:
/// <c>global using Has = MlWorkflow.Testing.NUnit.Has;</c>.
/// </summary>
public abstract class Has : global::NUnit.Framework.Has
{
    /// <summary>Creates the class (NUnit's pattern needs it inheritable; it has only static members).</summary>
    protected Has()
    {
    }

    /// <summary>A logged model (its URI, or a tracked result) whose saved input example matches its signature and scores.</summary>
    public static ModelContractConstraint ScorableInputExample => new(null);

    /// <summary>Starts a constraint on one metric (the same as <see cref="MlHas.Metric"/>).</summary>
    /// <param name="name">The metric's name, such as <c>rmse</c>.</param>
    /// <returns>The builder to complete with a bound.</returns>
    public static MetricConstraintBuilder Metric(string name) => MlHas.Metric(name);
}
