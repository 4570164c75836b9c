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

    /// <summary>Whether this ML.NET version can be cancelled mid-training (a test guards it).</summary>
    public static bool IsSupported => CancelMethod is not null;

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
