using MlWorkflow.Tracking;
using NUnit.Framework.Constraints;

namespace MlWorkflow.Testing.NUnit;

/// <summary>
/// The base of the constraints whose check reads a tracking store or trains (champion vs challenger, model contracts,
/// determinism): <c>Assert.That</c> waits for the check, <c>await Assert.ThatAsync(...)</c> awaits it.
/// </summary>
public abstract class ModelCheckConstraint : Constraint
{
    /// <summary>Creates the constraint.</summary>
    /// <param name="arguments">The arguments NUnit shows in the constraint's description.</param>
    protected ModelCheckConstraint(params object?[] arguments)
        : base(arguments)
    {
    }

    /// <summary>The client that resolves model URIs, or null for the candidate's own tracking client, else one from <c>MLFLOW_TRACKING_URI</c>. The default value is null.</summary>
    protected MlflowClient? Client { get; set; }

    /// <summary>
    /// Runs the check. NUnit's <c>Assert.That</c> is synchronous, so the check's I/O runs on a pool thread and is waited for
    /// there (no caller's synchronization context to deadlock on); in async tests <c>await Assert.ThatAsync(() =&gt; Task.FromResult(x), ...)</c> awaits it instead.
    /// </summary>
    /// <typeparam name="TActual">The type of the value checked.</typeparam>
    /// <param name="actual">The value checked.</param>
    /// <returns>The result, whose message is the check's own.</returns>
    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        var (passed, message) = Task.Run(() => CheckWithClientAsync(actual, CancellationToken.None)).GetAwaiter().GetResult();
        return new ModelCheckConstraintResult(this, actual, passed, message);
    }

    /// <summary>Awaits the value, then the check.</summary>
    /// <typeparam name="TActual">The type of the value checked.</typeparam>
    /// <param name="taskDel">Returns the value checked.</param>
    /// <returns>The result, whose message is the check's own.</returns>
    public override async Task<ConstraintResult> ApplyToAsync<TActual>(Func<Task<TActual>> taskDel)
    {
        ArgumentNullException.ThrowIfNull(taskDel);
        var actual = await taskDel().ConfigureAwait(false);
        var (passed, message) = await CheckWithClientAsync(actual, CancellationToken.None).ConfigureAwait(false);
        return new ModelCheckConstraintResult(this, actual, passed, message);
    }

    /// <summary>Checks the actual value.</summary>
    /// <param name="actual">The value checked.</param>
    /// <param name="client">The client to resolve model URIs with.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether it passed, and what was checked with the values compared.</returns>
    protected abstract Task<(bool Passed, string Message)> CheckAsync(object? actual, MlflowClient client, CancellationToken cancellationToken);

    private async Task<(bool Passed, string Message)> CheckWithClientAsync(object? actual, CancellationToken cancellationToken)
    {
        var client = Client ?? (actual as WorkflowResult)?.Tracking?.Client;
        if (client is not null)
        {
            return await CheckAsync(actual, client, cancellationToken).ConfigureAwait(false);
        }

        await using var fromEnvironment = MlflowClient.Create();
        return await CheckAsync(actual, fromEnvironment, cancellationToken).ConfigureAwait(false);
    }
}
