using System.CommandLine;
using System.Text.Json.Nodes;
using MlWorkflow.Cli.Output;
using MlWorkflow.Tracking;

namespace MlWorkflow.Cli.Commands;

/// <summary><c>mlw experiments create|search|rename|delete|restore</c>, as <c>mlflow experiments</c>.</summary>
internal static class ExperimentsCommand
{
    public static Command Create()
    {
        var group = new Command("experiments", "Create, search, rename, delete and restore experiments.").WithTrackingOptions();
        group.Subcommands.Add(CreateCommand());
        group.Subcommands.Add(SearchCommand());
        group.Subcommands.Add(RenameCommand());
        group.Subcommands.Add(DeleteCommand());
        group.Subcommands.Add(RestoreCommand());
        return group;
    }

    internal static Option<ViewType> ViewOption() => new("--view", "-v")
    {
        Description = "active_only, deleted_only or all.",
        DefaultValueFactory = _ => ViewType.ActiveOnly,
        CustomParser = result => result.Tokens.Single().Value.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "activeonly" => ViewType.ActiveOnly,
            "deletedonly" => ViewType.DeletedOnly,
            "all" => ViewType.All,
            var other => Fail(result, $"--view must be active_only, deleted_only or all, not '{ServerCommand.Quote(other)}'."),
        },
    };

    private static ViewType Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }

    private static Option<string> ExperimentIdOption() => new("--experiment-id", "-x") { Description = "The experiment's id.", Required = true };

    private static Command CreateCommand()
    {
        var name = new Option<string>("--experiment-name", "-n") { Description = "The new experiment's name.", Required = true };
        var location = new Option<string?>("--artifact-location", "-l") { Description = "Where its runs keep their artifacts. The default value is the store's choice." };
        var command = new Command("create", "Create an experiment.") { name, location };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            var id = await client.CreateExperimentAsync(parse.GetValue(name)!, parse.GetValue(location), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (GlobalOptions.Json(parse))
            {
                ConsoleOutput.Json(new JsonObject { ["experiment_id"] = id, ["name"] = parse.GetValue(name) });
            }
            else
            {
                Console.WriteLine($"Created experiment '{parse.GetValue(name)}' with id {id}");
            }

            return CliApp.Ok;
        });
        return command;
    }

    private static Command SearchCommand()
    {
        var view = ViewOption();
        var filter = new Option<string?>("--filter") { Description = "An MLflow filter, e.g. \"name LIKE 'sales%'\"." };
        var max = new Option<int>("--max-results") { Description = "The most experiments to list.", DefaultValueFactory = _ => 1000 };
        var command = new Command("search", "List experiments.") { view, filter, max };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            var experiments = new List<Experiment>();
            string? token = null;
            var limit = parse.GetValue(max);
            do
            {
                var page = await client.SearchExperimentsAsync(new SearchExperimentsRequest { ViewType = parse.GetValue(view), Filter = parse.GetValue(filter), MaxResults = Math.Min(1000, limit - experiments.Count), PageToken = token }, cancellationToken).ConfigureAwait(false);
                experiments.AddRange(page.Items);
                token = page.NextPageToken;
            }
            while (token is not null && experiments.Count < limit);

            if (GlobalOptions.Json(parse))
            {
                ConsoleOutput.Json(new JsonArray(experiments.Select(e => (JsonNode)ToJson(e)).ToArray()));
            }
            else
            {
                ConsoleOutput.Table(["Experiment Id", "Name", "Lifecycle Stage", "Artifact Location"],
                    experiments.Select(e => (IReadOnlyList<string>)[e.ExperimentId, e.Name, e.LifecycleStage.ToString().ToLowerInvariant(), e.ArtifactLocation]));
            }

            return CliApp.Ok;
        });
        return command;
    }

    private static JsonObject ToJson(Experiment e) => new()
    {
        ["experiment_id"] = e.ExperimentId,
        ["name"] = e.Name,
        ["artifact_location"] = e.ArtifactLocation,
        ["lifecycle_stage"] = e.LifecycleStage.ToString().ToLowerInvariant(),
        ["creation_time"] = e.CreationTime,
        ["last_update_time"] = e.LastUpdateTime,
        ["tags"] = new JsonObject(e.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))),
    };

    private static Command RenameCommand()
    {
        var id = ExperimentIdOption();
        var newName = new Option<string>("--new-name") { Description = "The new name.", Required = true };
        var command = new Command("rename", "Rename an experiment.") { id, newName };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            await client.RenameExperimentAsync(parse.GetValue(id)!, parse.GetValue(newName)!, cancellationToken).ConfigureAwait(false);
            Done(parse, parse.GetValue(id)!, $"Experiment with id {parse.GetValue(id)} has been renamed to '{parse.GetValue(newName)}'.");
            return CliApp.Ok;
        });
        return command;
    }

    private static Command DeleteCommand()
    {
        var id = ExperimentIdOption();
        var command = new Command("delete", "Mark an experiment and its runs deleted (restore brings them back; mlw gc removes them for good).") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            await client.DeleteExperimentAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            Done(parse, parse.GetValue(id)!, $"Experiment with ID {parse.GetValue(id)} has been deleted.");
            return CliApp.Ok;
        });
        return command;
    }

    private static Command RestoreCommand()
    {
        var id = ExperimentIdOption();
        var command = new Command("restore", "Restore a deleted experiment.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            await client.RestoreExperimentAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            Done(parse, parse.GetValue(id)!, $"Experiment with id {parse.GetValue(id)} has been restored.");
            return CliApp.Ok;
        });
        return command;
    }

    private static void Done(ParseResult parse, string id, string message)
    {
        if (GlobalOptions.Json(parse))
        {
            ConsoleOutput.Json(new JsonObject { ["experiment_id"] = id });
        }
        else
        {
            Console.WriteLine(message);
        }
    }
}
