using Microsoft.ML;

namespace MlWorkflow.Testing.NUnit;

/// <summary>
/// NUnit's <c>Is</c> with the model checks added, by NUnit's own extension pattern (a class <c>Is</c> deriving from
/// <see cref="global::NUnit.Framework.Is"/>, so <c>Is.EqualTo</c> and the rest still work). A file that imports both
/// namespaces names it with an alias: <c>global using Is = MlWorkflow.Testing.NUnit.Is;</c>.
/// </summary>
public abstract class Is : global::NUnit.Framework.Is
{
    /// <summary>Creates the class (NUnit's pattern needs it inheritable; it has only static members).</summary>
    protected Is()
    {
    }

    /// <summary>Starts the release gate: <c>Assert.That(candidate, Is.NoWorseThan("models:/cars/Production").On(golden).By("rmse", margin: 0.01))</c>.</summary>
    /// <param name="championUri">The champion's model URI: <c>models:/Name/Production</c>, <c>models:/Name@champion</c>, <c>runs:/…</c>.</param>
    /// <returns>The builder, to complete with <see cref="ChallengerConstraintBuilder.On"/> and <see cref="ChallengerConstraintBuilder.By"/>.</returns>
    public static ChallengerConstraintBuilder NoWorseThan(string championUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(championUri);
        return new ChallengerConstraintBuilder(championUri);
    }

    /// <summary>A logged model (its URI, or a tracked result) whose signature accepts the golden inputs and which scores them: <c>Assert.That(uri, Is.ScorableOn(golden).Ignoring("price"))</c>.</summary>
    /// <param name="inputs">The golden inputs.</param>
    /// <returns>The constraint.</returns>
    public static ModelContractConstraint ScorableOn(IDataView inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return new ModelContractConstraint(inputs);
    }

    /// <summary>A training function that gives identical metrics twice: <c>Assert.That(train, Is.Deterministic)</c>.</summary>
    public static DeterminismConstraint Deterministic => new();
}
