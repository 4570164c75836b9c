using System.Reflection;
using Microsoft.ML;

namespace MlWorkflow;

/// <summary>
/// Cancels an ML.NET context, as <c>MLContextExtensions.CancelExecution</c> of the Microsoft.ML.Experimental package does:
/// MLContext implements ML.NET's internal <c>ICancelable</c>, which its trainers check between iterations.
/// </summary>
internal static class MLContextCancellation
{
    // That package is not on every feed; the interface it calls has been in Microsoft.ML.Data since 1.4.
    private static readonly MethodInfo? CancelMethod = typeof(MLContext).GetInterfaces()
        .FirstOrDefault(i => i.Name == "ICancelable")?.GetMethod("CancelExecution", Type.EmptyTypes);

    /// <summary>Whether this ML.NET version can be cancelled mid-training (a test guards it).</summary>
    public static bool IsSupported => CancelMethod is not null;

    public static void Cancel(MLContext ml) => CancelMethod?.Invoke(ml, null);
}
