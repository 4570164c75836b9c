using System.Reflection;
using Microsoft.ML;

namespace MlWorkflow.Execution;

/// <summary>
/// Cancels an ML.NET context, as <c>MLContextExtensions.CancelExecution</c> of the Microsoft.ML.Experimental package does:
/// the context's host environment implements ML.NET's internal <c>ICancelable</c>, which trainers check between iterations.
/// </summary>
internal static class MLContextCancellation
{
    // That package is not on every feed, so the environment is reached the way it does, by ML.NET's own interface.
    private static readonly FieldInfo? EnvironmentField = typeof(MLContext)
        .GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
        .FirstOrDefault(f => CancelMethodOf(f.FieldType) is not null);

    private static readonly MethodInfo? CancelMethod = EnvironmentField is null ? null : CancelMethodOf(EnvironmentField.FieldType);

    // No fallback when reflection finds nothing: the test that cancels a long Fit fails on such an ML.NET version.
    public static void Cancel(MLContext ml)
    {
        if (EnvironmentField?.GetValue(ml) is { } environment)
        {
            CancelMethod!.Invoke(environment, null);
        }
    }

    private static MethodInfo? CancelMethodOf(Type type) =>
        type.GetInterfaces().FirstOrDefault(i => i.Name == "ICancelable")?.GetMethod("CancelExecution", Type.EmptyTypes);
}
