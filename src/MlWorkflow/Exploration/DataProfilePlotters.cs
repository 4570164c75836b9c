using System.Reflection;

namespace MlWorkflow.Exploration;

/// <summary>Finds MlWorkflow.Plots' data-profile plotter when the package sits beside the core.</summary>
internal static class DataProfilePlotters
{
    internal const string PlotterType = "MlWorkflow.Exploration.ScottPlotDataProfilePlotter";

    private static readonly Lazy<IDataProfilePlotter?> Found = new(Find);

    public static IDataProfilePlotter? Default => Found.Value;

    private static IDataProfilePlotter? Find()
    {
        Assembly assembly;
        try
        {
            assembly = CompanionPackages.Load(Evaluation.EvaluationPlotters.PlotsPackage);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var type = assembly.GetType(PlotterType, throwOnError: false);
        return type is null ? null : Activator.CreateInstance(type) as IDataProfilePlotter;
    }
}
