namespace MlWorkflow.Exploration;

/// <summary>
/// Draws a data profile's plots into files, for <see cref="DataProfile.WriteReportAsync"/>. The MlWorkflow.Plots package
/// provides one (PNG files drawn with ScottPlot), found with no code when the package is referenced.
/// </summary>
public interface IDataProfilePlotter
{
    /// <summary>Writes the profile's plots (histograms, label distribution, correlations) into <paramref name="folder"/>.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="folder">An existing folder for the files.</param>
    /// <param name="cancellationToken">Stops between plots.</param>
    /// <returns>The full paths of the files written, in the order the report shows them.</returns>
    IReadOnlyList<string> WritePlots(DataProfile profile, string folder, CancellationToken cancellationToken);
}
