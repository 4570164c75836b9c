using System.Reflection;
using System.Runtime.Loader;

namespace MlWorkflow.Evaluation;

/// <summary>Finds the plotter a run uses: the one set in <see cref="WorkflowOptions.Plotter"/>, else MlWorkflow.Plots' when it sits beside the core.</summary>
internal static class EvaluationPlotters
{
    internal const string PlotsPackage = "MlWorkflow.Plots";
    internal const string PlotsPlotterType = "MlWorkflow.Evaluation.ScottPlotEvaluationPlotter";

    private static readonly Lazy<IEvaluationPlotter?> Found = new(FindPlotsPackage);

    /// <summary>The run's plotter; throws before any training when plots are asked for and none is available.</summary>
    public static IEvaluationPlotter Resolve(WorkflowOptions options)
    {
        var plotter = options.Plotter ?? (options.FindPlotsPackage ? Found.Value : null);
        return plotter ?? throw new WorkflowValidationException(
            "Evaluate",
            "",
            "plots: true needs a plotter, and none is available. Run 'dotnet add package MlWorkflow.Plots' (found with no code), "
            + "set WorkflowOptions.Plotter, or evaluate with plots: false.");
    }

    // Once per process: load MlWorkflow.Plots by name and create its plotter; null when the package is not referenced.
    private static IEvaluationPlotter? FindPlotsPackage()
    {
        Assembly assembly;
        try
        {
            assembly = CompanionPackages.Load(PlotsPackage);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var type = assembly.GetType(PlotsPlotterType, throwOnError: false);
        return type is null ? null : Activator.CreateInstance(type) as IEvaluationPlotter;
    }
}
