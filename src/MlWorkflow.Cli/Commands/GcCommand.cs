using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MlWorkflow.Cli.Output;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Cli.Commands;

/// <summary>
/// <c>mlw gc</c>: permanently removes deleted runs (with their artifacts) and deleted experiments from a file or SQL store, as
/// <c>mlflow gc</c> does (https://mlflow.org/docs/latest/cli.html#mlflow-gc).
/// </summary>
internal static partial class GcCommand
{
    public static Command Create()
    {
        var backend = new Option<string?>("--backend-store-uri") { Description = "The store to clean: a folder (file store), sqlite:///path/mlflow.db or postgresql://... The default value is MLFLOW_TRACKING_URI when it names a local store, else ./mlruns." };
        var olderThan = new Option<TimeSpan?>("--older-than") { Description = "Only what was deleted at least this long ago, e.g. 30d, 1d2h3m4s.", CustomParser = ParseAge };
        var runIds = new Option<string?>("--run-ids") { Description = "Only these deleted runs, comma-separated." };
        var experimentIds = new Option<string?>("--experiment-ids") { Description = "Only these deleted experiments (and all their runs), comma-separated." };
        var command = new Command("gc", "Permanently remove deleted runs and experiments from a file or SQL store (they cannot be restored afterwards).") { backend, olderThan, runIds, experimentIds, GlobalOptions.Output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var uri = parse.GetValue(backend)
                ?? (Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI") is { Length: > 0 } env && !TrackingUri.IsRemote(env) ? env : "./mlruns");
            if (TrackingUri.IsRemote(uri))
            {
                throw new UsageException($"gc opens the store directly: give --backend-store-uri the server's folder, not '{ServerCommand.Quote(uri)}'.");
            }

            ServerCommand.CheckFileStore("--backend-store-uri", uri);
            if (SqlTrackingStore.IsDatabaseUri(uri))
            {
                var sqlCutoff = parse.GetValue(olderThan) is { } sqlAge ? DateTimeOffset.UtcNow - sqlAge : (DateTimeOffset?)null;
                return await CollectSqlAsync(uri, sqlCutoff, Ids(parse.GetValue(runIds)), Ids(parse.GetValue(experimentIds)), GlobalOptions.Json(parse), cancellationToken).ConfigureAwait(false);
            }

            var root = FileUris.ToPath(uri);
            if (!Directory.Exists(root))
            {
                throw new UsageException($"--backend-store-uri '{ServerCommand.Quote(root)}' is not a folder.");
            }

            var cutoff = parse.GetValue(olderThan) is { } age ? DateTimeOffset.UtcNow - age : (DateTimeOffset?)null;
            using var store = new FileTrackingStore(root);
            await using var client = new MlflowClient(store);
            var removed = await CollectAsync(client, root, cutoff, Ids(parse.GetValue(runIds)), Ids(parse.GetValue(experimentIds)), cancellationToken).ConfigureAwait(false);
            var json = GlobalOptions.Json(parse);
            var runsDone = new JsonArray();
            var experimentsDone = new JsonArray();
            var total = removed.Runs.Count + removed.Experiments.Count;
            var done = 0;
            foreach (var (runId, directory, artifacts) in removed.Runs)
            {
                DeleteFolder(directory);
                if (artifacts is not null)
                {
                    DeleteFolder(artifacts);
                }

                ConsoleOutput.Progress(++done, total, $"run {runId}");
                Report(json, runsDone, runId, $"Run with ID {runId} has been permanently deleted.");
            }

            foreach (var (experimentId, directory) in removed.Experiments)
            {
                DeleteFolder(directory);
                ConsoleOutput.Progress(++done, total, $"experiment {experimentId}");
                Report(json, experimentsDone, experimentId, $"Experiment with ID {experimentId} has been permanently deleted.");
            }

            Finish(json, runsDone, experimentsDone, total);
            return CliApp.Ok;
        });
        return command;
    }

    private sealed record Removal(List<(string RunId, string Directory, string? Artifacts)> Runs, List<(string ExperimentId, string Directory)> Experiments);

    /// <summary>Finds everything to remove before removing anything, so that a bad id stops the command with the store untouched.</summary>
    private static async Task<Removal> CollectAsync(MlflowClient client, string root, DateTimeOffset? cutoff, IReadOnlyList<string>? runIds, IReadOnlyList<string>? experimentIds, CancellationToken cancellationToken)
    {
        var experiments = await AllAsync(client, ViewType.All, cancellationToken).ConfigureAwait(false);
        var trash = Path.Combine(root, ".trash");
        bool Old(long? deletedAt) => cutoff is null || (deletedAt is { } ms && DateTimeOffset.FromUnixTimeMilliseconds(ms) <= cutoff);

        var deletedExperiments = experiments.Where(e => e.LifecycleStage == LifecycleStage.Deleted).ToList();
        if (experimentIds is not null)
        {
            foreach (var id in experimentIds)
            {
                if (!deletedExperiments.Any(e => e.ExperimentId == id))
                {
                    throw NotDeleted("Experiment", id, "experiments");
                }
            }

            deletedExperiments = deletedExperiments.Where(e => experimentIds.Contains(e.ExperimentId)).ToList();
        }

        var experimentsToRemove = runIds is not null && experimentIds is null
            ? []
            : deletedExperiments.Where(e => Old(e.LastUpdateTime)).ToList();
        var removal = new Removal([], []);
        foreach (var experiment in experimentsToRemove)
        {
            removal.Experiments.Add((experiment.ExperimentId, Under(trash, experiment.ExperimentId)));
        }

        // Runs: the deleted ones (all of them, or those named), plus every run of an experiment being removed.
        var runs = new List<Run>();
        foreach (var experiment in experiments)
        {
            var view = experimentsToRemove.Contains(experiment) ? ViewType.All : ViewType.DeletedOnly;
            string? token = null;
            do
            {
                var page = await client.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experiment.ExperimentId], RunViewType = view, MaxResults = 1000, PageToken = token }, cancellationToken).ConfigureAwait(false);
                runs.AddRange(page.Items.Where(r => experimentsToRemove.Contains(experiment) || runIds is null || runIds.Contains(r.Info.RunId)));
                token = page.NextPageToken;
            }
            while (token is not null);
        }

        if (runIds is not null)
        {
            foreach (var id in runIds.Where(id => !runs.Any(r => r.Info.RunId == id)))
            {
                throw NotDeleted("Run", id, "runs");
            }
        }

        foreach (var run in runs)
        {
            var experimentDirectory = experiments.First(e => e.ExperimentId == run.Info.ExperimentId).LifecycleStage == LifecycleStage.Deleted
                ? Under(trash, run.Info.ExperimentId)
                : Under(root, run.Info.ExperimentId);
            var directory = Under(experimentDirectory, run.Info.RunId);
            var inRemovedExperiment = experimentsToRemove.Any(e => e.ExperimentId == run.Info.ExperimentId);
            if (!inRemovedExperiment && !Old(DeletedTime(directory)))
            {
                continue;
            }

            removal.Runs.Add((run.Info.RunId, directory, ArtifactsOutsideRunFolder(run.Info.ArtifactUri, directory, root)));
        }

        return removal;
    }

    private static async Task<List<Experiment>> AllAsync(MlflowClient client, ViewType view, CancellationToken cancellationToken)
    {
        var all = new List<Experiment>();
        string? token = null;
        do
        {
            var page = await client.SearchExperimentsAsync(new SearchExperimentsRequest { ViewType = view, MaxResults = 1000, PageToken = token }, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);
        return all;
    }

    /// <summary>A run's artifact folder when it lies outside the run's own folder but still inside the store's root; null otherwise (outside the root is never touched).</summary>
    private static string? ArtifactsOutsideRunFolder(string artifactUri, string runDirectory, string root)
    {
        if (!artifactUri.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && artifactUri.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }

        string path;
        try
        {
            path = FileUris.ToPath(artifactUri);
        }
        catch (MlflowException)
        {
            return null;
        }

        var inRun = path.StartsWith(runDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var inRoot = path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return !inRun && inRoot && Directory.Exists(path) ? path : null;
    }

    /// <summary>The <c>deleted_time</c> the file store writes into a deleted run's <c>meta.yaml</c>, or null.</summary>
    private static long? DeletedTime(string runDirectory)
    {
        var meta = Path.Combine(runDirectory, "meta.yaml");
        if (!File.Exists(meta))
        {
            return null;
        }

        foreach (var line in File.ReadLines(meta))
        {
            if (line.StartsWith("deleted_time:", StringComparison.Ordinal) && long.TryParse(line["deleted_time:".Length..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                return ms;
            }
        }

        return null;
    }

    /// <summary>A child folder by id; ids that are not plain names are refused so that nothing outside the store is touched.</summary>
    private static string Under(string parent, string id) =>
        PlainId().IsMatch(id) ? Path.Combine(parent, id) : throw new MlflowException(ErrorCode.InvalidParameterValue, $"'{ServerCommand.Quote(id)}' is not a valid id.");

    private static void DeleteFolder(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static MlflowException NotDeleted(string what, string id, string command) =>
        new(ErrorCode.InvalidParameterValue, $"{what} {ServerCommand.Quote(id)} is not in the deleted state (or does not exist); delete it first with mlw {command} delete.");

    private static List<string>? Ids(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>MLflow's <c>--older-than</c> format: <c>#d#h#m#s</c>, each part optional.</summary>
    private static TimeSpan? ParseAge(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        var match = AgePattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            result.AddError($"--older-than '{ServerCommand.Quote(text)}' is not a duration like 30d, 12h or 1d2h3m4s.");
            return null;
        }

        double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        return TimeSpan.FromDays(Part("d")) + TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
    }

    [GeneratedRegex(@"^(?:(?<d>\d+(?:\.\d+)?)d)?(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex AgePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex PlainId();
}
