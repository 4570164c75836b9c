namespace MlWorkflow.Server.Tests;

/// <summary>Assertions on MlWorkflow's typed errors.</summary>
internal static class MlflowAssert
{
    /// <summary>Runs a call that must fail with an <see cref="MlflowException"/> (or a subclass) and returns it.</summary>
    public static async Task<MlflowException> Fails(Func<Task> call) =>
        await Assert.CatchAsync<MlflowException>(async () => await call()) ?? throw new InvalidOperationException("unreachable: the assertion failed");
}
