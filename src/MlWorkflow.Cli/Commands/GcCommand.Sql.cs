using System.Text.Json.Nodes;
using MlWorkflow.Cli.Output;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Cli.Commands;

/// <summary><c>mlw gc</c> on a SQL store: the same choice of runs and experiments as on a file store, rows removed by the store in one transaction each.</summary>
internal static partial class GcCommand
{
    private static async Task<int> CollectSqlAsync(string uri, DateTimeOffset? cutoff, List<string>? runIds, List<string>? experimentIds, bool json, CancellationToken cancellationToken)
    {
        var store = new SqlTrackingStore(uri);
        await using var client = new MlflowClient(store);
        var experiments = await AllAsync(client, ViewType.All, cancellationToken).ConfigureAwait(false);
        bool Old(long? at) => cutoff is null || (at is { } ms && DateTimeOffset.FromUnixTimeMilliseconds(ms) <= cutoff);

        // Everything is chosen and checked before anything is removed: a bad id stops the command with the database untouched.
        var deletedExperiments = experiments.Where(e => e.LifecycleStage == LifecycleStage.Deleted).ToList();
        if (experimentIds is not null)
        {
            foreach (var id in experimentIds.Where(id => !deletedExperiments.Any(e => e.ExperimentId == id)))
            {
                throw NotDeleted("Experiment", id, "experiments");
            }

            deletedExperiments = deletedExperiments.Where(e => experimentIds.Contains(e.ExperimentId)).ToList();
        }

        var experimentsToRemove = runIds is not null && experimentIds is null ? [] : deletedExperiments.Where(e => Old(e.LastUpdateTime)).ToList();
        var removedExperimentIds = experimentsToRemove.Select(e => e.ExperimentId).ToHashSet(StringComparer.Ordinal);

        var allDeleted = await store.GetDeletedRunsAsync(null, cancellationToken).ConfigureAwait(false);
        if (runIds is not null)
        {
            foreach (var id in runIds.Where(id => !allDeleted.Any(r => r.RunId == id)))
            {
                throw NotDeleted("Run", id, "runs");
            }
        }

        var oldEnough = cutoff is null ? allDeleted : await store.GetDeletedRunsAsync(cutoff, cancellationToken).ConfigureAwait(false);
        var runs = oldEnough.Where(r => !removedExperimentIds.Contains(r.ExperimentId) && (runIds is null || runIds.Contains(r.RunId))).ToList();
        var experimentRuns = new List<RunInfo>();
        foreach (var experiment in experimentsToRemove)
        {
            string? token = null;
            do
            {
                var page = await store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experiment.ExperimentId], RunViewType = ViewType.All, MaxResults = 1000, PageToken = token }, cancellationToken).ConfigureAwait(false);
                experimentRuns.AddRange(page.Items.Select(r => r.Info));
                token = page.NextPageToken;
            }
            while (token is not null);
        }

        var total = runs.Count + experimentsToRemove.Count;
        var done = 0;
        var runsDone = new JsonArray();
        var experimentsDone = new JsonArray();
        foreach (var run in runs)
        {
            DeleteLocalArtifacts(run);
            await store.PurgeRunAsync(run.RunId, cancellationToken).ConfigureAwait(false);
            ConsoleOutput.Progress(++done, total, $"run {run.RunId}");
            Report(json, runsDone, run.RunId, $"Run with ID {run.RunId} has been permanently deleted.");
        }

        foreach (var experiment in experimentsToRemove)
        {
            foreach (var run in experimentRuns.Where(r => r.ExperimentId == experiment.ExperimentId))
            {
                DeleteLocalArtifacts(run);
                Report(json, runsDone, run.RunId, $"Run with ID {run.RunId} has been permanently deleted.");
            }

            await store.PurgeExperimentAsync(experiment.ExperimentId, cancellationToken).ConfigureAwait(false);
            ConsoleOutput.Progress(++done, total, $"experiment {experiment.ExperimentId}");
            Report(json, experimentsDone, experiment.ExperimentId, $"Experiment with ID {experiment.ExperimentId} has been permanently deleted.");
        }

        Finish(json, runsDone, experimentsDone, total);
        return CliApp.Ok;
    }

    /// <summary>The ids removed as JSON, or a line when nothing matched (each removal printed its own line).</summary>
    private static void Finish(bool json, JsonArray runsDone, JsonArray experimentsDone, int total)
    {
        if (json)
        {
            ConsoleOutput.Json(new JsonObject { ["runs"] = runsDone, ["experiments"] = experimentsDone });
        }
        else if (total == 0)
        {
            Console.WriteLine("Nothing to remove: no deleted runs or experiments match.");
        }
    }

    private static void Report(bool json, JsonArray ids, string id, string line)
    {
        if (json)
        {
            ids.Add(id);
        }
        else
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>
    /// Removes a run's local artifact folder, and the run's folder above it when that is left empty. Only a local folder whose path
    /// names the run is touched; artifacts elsewhere (a server, object storage) are reported and left.
    /// </summary>
    private static void DeleteLocalArtifacts(RunInfo run)
    {
        var uri = run.ArtifactUri;
        if (string.IsNullOrEmpty(uri))
        {
            return;
        }

        if (!uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && FileUris.HasScheme(uri))
        {
            Console.Error.WriteLine($"mlw gc: the artifacts of run {run.RunId} at '{ServerCommand.Quote(uri)}' are not local and were not removed.");
            return;
        }

        string path;
        try
        {
            path = Path.GetFullPath(FileUris.ToPath(uri));
        }
        catch (MlflowException)
        {
            return;
        }

        var segments = path.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        if (!segments.Contains(run.RunId, StringComparer.Ordinal))
        {
            Console.Error.WriteLine($"mlw gc: the artifact folder of run {run.RunId} does not name the run and was not removed: '{ServerCommand.Quote(path)}'.");
            return;
        }

        DeleteFolder(path);
        var parent = Path.GetDirectoryName(path);
        if (parent is not null && Path.GetFileName(parent) == run.RunId && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
        {
            Directory.Delete(parent);
        }
    }
}
