using MlWorkflow.Tracking;

namespace MlWorkflow.Exploration;

/// <summary>Logs a data profile's report (Markdown and plots) as artifacts of an MLflow run.</summary>
public static class DataProfileArtifacts
{
    /// <summary>Writes the report to a temporary folder, logs its files under <paramref name="artifactPath"/>, and deletes the folder.</summary>
    /// <param name="run">The run.</param>
    /// <param name="profile">The profile.</param>
    /// <param name="artifactPath">The artifact folder. The default value is <c>data_profile</c>.</param>
    /// <param name="plotter">Draws the plots. The default is MlWorkflow.Plots' plotter when referenced, else Markdown alone.</param>
    /// <param name="cancellationToken">Cancels the writing and the copy.</param>
    /// <returns>The artifact paths logged (relative to the run's artifact root).</returns>
    public static async Task<IReadOnlyList<string>> LogDataProfileAsync(
        this ActiveRun run, DataProfile profile, string artifactPath = DataProfile.DefaultArtifactPath, IDataProfilePlotter? plotter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(profile);
        var folder = Path.Combine(Path.GetTempPath(), "mlworkflow-profile-" + Guid.NewGuid().ToString("N"));
        try
        {
            var report = await profile.WriteReportAsync(folder, plotter, cancellationToken).ConfigureAwait(false);
            foreach (var file in report.Files)
            {
                await run.LogArtifactAsync(file, artifactPath, cancellationToken).ConfigureAwait(false);
            }

            return report.Files.Select(f => $"{artifactPath.TrimEnd('/')}/{Path.GetFileName(f)}").ToArray();
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless; the artifacts are already logged.
            }
        }
    }
}
