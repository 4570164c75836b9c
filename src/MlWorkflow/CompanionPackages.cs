using System.Reflection;
using System.Runtime.Loader;

namespace MlWorkflow;

/// <summary>Finds the optional companion packages (MlWorkflow.Plots, MlWorkflow.LightGbm) when the application references them.</summary>
internal static class CompanionPackages
{
    /// <summary>
    /// Loads the assembly <paramref name="name"/> into the core's own load context, so that a core loaded as a plug-in
    /// finds the package beside it.
    /// </summary>
    public static Assembly Load(string name) =>
        (AssemblyLoadContext.GetLoadContext(typeof(CompanionPackages).Assembly) ?? AssemblyLoadContext.Default).LoadFromAssemblyName(new AssemblyName(name));
}
