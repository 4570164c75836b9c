using System.CommandLine;
using System.Text.Json.Nodes;
using MlWorkflow.Cli.Output;
using MlWorkflow.Tracking;

namespace MlWorkflow.Cli.Commands;

/// <summary><c>mlw runs list|describe|delete|restore</c>, as <c>mlflow runs</c>.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var group = new Command("runs", "List, describe, delete and restore runs.").WithTrackingOptions();
        group.Subcommands.Add(ListCommand());
        group.Subcommands.Add(DescribeCommand());
        group.Subcommands.Add(DeleteCommand());
        group.Subcommands.Add(RestoreCommand());
        return group;
    }

    private static Option<string> RunIdOption() => new("--run-id", "-r") { Description = "The run's id.", Required = true };

    private static Command ListCommand()
    {
        var experimentId = new Option<string?>("--experiment-id", "-x") { Description = "The experiment whose runs to list. The default value is MLFLOW_EXPERIMENT_ID." };
        var view = ExperimentsCommand.ViewOption();
        var filter = new Option<string?>("--filter") { Description = "An MLflow filter, e.g. \"metrics.rmse < 1\"." };
        var orderBy = new Option<string[]>("--order-by") { Description = "An MLflow ordering, e.g. \"metrics.rmse ASC\"; repeat it for ties. The default value is attributes.start_time DESC (newest first)." };
        var max = new Option<int>("--max-results") { Description = "The most runs to list.", DefaultValueFactory = _ => 1000 };
        var command = new Command("list", "List the runs of an experiment, newest first unless --order-by says otherwise.") { experimentId, view, filter, orderBy, max };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var id = parse.GetValue(experimentId) ?? Environment.GetEnvironmentVariable("MLFLOW_EXPERIMENT_ID");
            if (string.IsNullOrEmpty(id))
            {
                throw new UsageException("--experiment-id is required (or MLFLOW_EXPERIMENT_ID); mlw experiments search lists the ids.");
            }

            await using var client = GlobalOptions.CreateClient(parse);
            var runs = new List<Run>();
            string? token = null;
            var limit = parse.GetValue(max);
            string[] order = parse.GetValue(orderBy) is { Length: > 0 } given ? given : ["attributes.start_time DESC"];
            do
            {
                var page = await client.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [id], RunViewType = parse.GetValue(view), Filter = parse.GetValue(filter), MaxResults = Math.Min(1000, limit - runs.Count), PageToken = token, OrderBy = order }, cancellationToken).ConfigureAwait(false);
                runs.AddRange(page.Items);
                token = page.NextPageToken;
            }
            while (token is not null && runs.Count < limit);

            if (GlobalOptions.Json(parse))
            {
                ConsoleOutput.Json(new JsonArray(runs.Select(r => (JsonNode)InfoJson(r.Info)).ToArray()));
            }
            else
            {
                ConsoleOutput.Table(["Date", "Name", "ID", "Status"],
                    runs.Select(r => (IReadOnlyList<string>)[ConsoleOutput.Time(r.Info.StartTime), r.Info.RunName, r.Info.RunId, r.Info.Status.ToString().ToUpperInvariant()]));
            }

            return CliApp.Ok;
        });
        return command;
    }

    internal static JsonObject InfoJson(RunInfo info) => new()
    {
        ["run_id"] = info.RunId,
        ["run_name"] = info.RunName,
        ["experiment_id"] = info.ExperimentId,
        ["user_id"] = info.UserId,
        ["status"] = info.Status.ToString().ToUpperInvariant(),
        ["start_time"] = info.StartTime,
        ["end_time"] = info.EndTime,
        ["artifact_uri"] = info.ArtifactUri,
        ["lifecycle_stage"] = info.LifecycleStage.ToString().ToLowerInvariant(),
    };

    private static Command DescribeCommand()
    {
        var runId = RunIdOption();
        var command = new Command("describe", "Show a run: its info, latest metrics, params and tags.") { runId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            var run = await client.GetRunAsync(parse.GetValue(runId)!, cancellationToken).ConfigureAwait(false);
            if (GlobalOptions.Json(parse))
            {
                // MLflow's `runs describe` shape: info, data (latest metric values, params, tags), inputs.
                ConsoleOutput.Json(new JsonObject
                {
                    ["info"] = InfoJson(run.Info),
                    ["data"] = new JsonObject
                    {
                        ["metrics"] = new JsonObject(run.Data.Metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
                        ["params"] = new JsonObject(run.Data.Params.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                        ["tags"] = new JsonObject(run.Data.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))),
                    },
                    ["inputs"] = new JsonObject { ["dataset_inputs"] = new JsonArray(run.Inputs.DatasetInputs.Select(d => (JsonNode)new JsonObject { ["name"] = d.Dataset.Name, ["digest"] = d.Dataset.Digest }).ToArray()) },
                });
                return CliApp.Ok;
            }

            var info = run.Info;
            ConsoleOutput.Table(["Field", "Value"], new List<IReadOnlyList<string>>
            {
                new[] { "run id", info.RunId }, new[] { "name", info.RunName }, new[] { "experiment id", info.ExperimentId },
                new[] { "status", info.Status.ToString().ToUpperInvariant() }, new[] { "lifecycle stage", info.LifecycleStage.ToString().ToLowerInvariant() },
                new[] { "start", ConsoleOutput.Time(info.StartTime) }, new[] { "end", ConsoleOutput.Time(info.EndTime) },
                new[] { "user", info.UserId }, new[] { "artifact uri", info.ArtifactUri },
            });
            Section("Params", run.Data.Params.Select(p => (p.Key, p.Value)));
            Section("Metrics", run.Data.Metrics.Select(m => (m.Key, m.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
            Section("Tags", run.Data.Tags.Select(t => (t.Key, ServerCommand.Quote(t.Value))));
            return CliApp.Ok;
        });
        return command;
    }

    private static void Section(string title, IEnumerable<(string Key, string Value)> pairs)
    {
        var list = pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        ConsoleOutput.Table([title, "Value"], list.Select(p => (IReadOnlyList<string>)[p.Key, p.Value]));
    }

    private static Command DeleteCommand()
    {
        var runId = RunIdOption();
        var command = new Command("delete", "Mark a run deleted (restore brings it back; mlw gc removes it for good).") { runId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            await client.DeleteRunAsync(parse.GetValue(runId)!, cancellationToken).ConfigureAwait(false);
            Done(parse, parse.GetValue(runId)!, $"Run with ID {parse.GetValue(runId)} has been deleted.");
            return CliApp.Ok;
        });
        return command;
    }

    private static Command RestoreCommand()
    {
        var runId = RunIdOption();
        var command = new Command("restore", "Restore a deleted run.") { runId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            await client.RestoreRunAsync(parse.GetValue(runId)!, cancellationToken).ConfigureAwait(false);
            Done(parse, parse.GetValue(runId)!, $"Run with id {parse.GetValue(runId)} has been restored.");
            return CliApp.Ok;
        });
        return command;
    }

    private static void Done(ParseResult parse, string id, string message)
    {
        if (GlobalOptions.Json(parse))
        {
            ConsoleOutput.Json(new JsonObject { ["run_id"] = id });
        }
        else
        {
            Console.WriteLine(message);
        }
    }
}
