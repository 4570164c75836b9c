using MlWorkflow.Testing.Contracts;
using MlWorkflow.Tracking;

namespace MlWorkflow.Testing.NUnit;

/// <summary>
/// <c>Assert.That(train, Is.Deterministic)</c> on a training function (<c>Func&lt;CancellationToken, Task&lt;WorkflowResult&gt;&gt;</c>):
/// two trainings give identical metrics; a failure names each metric that differs, with both values.
/// </summary>
public sealed class DeterminismConstraint : ModelCheckConstraint
{
    internal DeterminismConstraint()
    {
    }

    /// <summary>What the constraint expects.</summary>
    public override string Description => "two trainings with identical metrics";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The actual value is not a training function.</exception>
    protected override async Task<(bool Passed, string Message)> CheckAsync(object? actual, MlflowClient client, CancellationToken cancellationToken)
    {
        var train = actual as Func<CancellationToken, Task<WorkflowResult>>
            ?? throw new ArgumentException($"Is.Deterministic applies to a Func<CancellationToken, Task<WorkflowResult>> that trains, not {actual?.GetType().Name ?? "null"}.", nameof(actual));
        var result = await ModelContract.CheckDeterminismAsync(train, cancellationToken).ConfigureAwait(false);
        return (result.Passed, result.Message);
    }
}
