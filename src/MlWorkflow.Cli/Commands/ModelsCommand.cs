using System.CommandLine;
using System.Text.Json.Nodes;
using MlWorkflow.Cli.Output;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Cli.Commands;

/// <summary><c>mlw models list|versions|transition-stage|set-alias|serve|predict</c>: the model registry.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var group = new Command("models", "The model registry: list models and versions, move stages, set aliases; serve a model or score a file with it.").WithTrackingOptions();
        group.Subcommands.Add(ListCommand());
        group.Subcommands.Add(VersionsCommand());
        group.Subcommands.Add(TransitionStageCommand());
        group.Subcommands.Add(SetAliasCommand());
        group.Subcommands.Add(ModelsServeCommand.Create());
        group.Subcommands.Add(ModelsPredictCommand.Create());
        return group;
    }

    private static Option<string> NameOption() => new("--name", "-n") { Description = "The registered model's name.", Required = true };

    private static Option<int> VersionOption() => new("--version") { Description = "The model version.", Required = true };

    private static Command ListCommand()
    {
        var filter = new Option<string?>("--filter") { Description = "An MLflow filter, e.g. \"name LIKE 'sales%'\"." };
        var command = new Command("list", "List registered models.") { filter };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            var models = await client.Registry.SearchRegisteredModelsAsync(parse.GetValue(filter), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (GlobalOptions.Json(parse))
            {
                ConsoleOutput.Json(new JsonArray(models.Select(m => (JsonNode)new JsonObject
                {
                    ["name"] = m.Name,
                    ["creation_timestamp"] = m.CreationTimestamp,
                    ["last_updated_timestamp"] = m.LastUpdatedTimestamp,
                    ["description"] = m.Description,
                    ["latest_versions"] = new JsonArray(m.LatestVersions.Select(v => (JsonNode)VersionJson(v)).ToArray()),
                    ["aliases"] = new JsonObject(m.Aliases.Select(a => KeyValuePair.Create(a.Alias, (JsonNode?)a.Version))),
                }).ToArray()));
            }
            else
            {
                ConsoleOutput.Table(["Name", "Latest Versions", "Aliases", "Updated"], models.Select(m => (IReadOnlyList<string>)
                [
                    m.Name,
                    string.Join(", ", m.LatestVersions.Select(v => $"{v.Version} ({v.CurrentStage})")),
                    string.Join(", ", m.Aliases.Select(a => $"{a.Alias}={a.Version}")),
                    ConsoleOutput.Time(m.LastUpdatedTimestamp),
                ]));
            }

            return CliApp.Ok;
        });
        return command;
    }

    private static JsonObject VersionJson(ModelVersion v) => new()
    {
        ["name"] = v.Name,
        ["version"] = v.Version,
        ["current_stage"] = v.CurrentStage.ToString(),
        ["status"] = v.Status.ToString(),
        ["source"] = v.Source,
        ["run_id"] = v.RunId,
        ["aliases"] = new JsonArray(v.Aliases.Select(a => (JsonNode)a).ToArray()),
        ["creation_timestamp"] = v.CreationTimestamp,
        ["last_updated_timestamp"] = v.LastUpdatedTimestamp,
        ["description"] = v.Description,
    };

    private static void PrintVersions(ParseResult parse, IEnumerable<ModelVersion> versions)
    {
        if (GlobalOptions.Json(parse))
        {
            ConsoleOutput.Json(new JsonArray(versions.Select(v => (JsonNode)VersionJson(v)).ToArray()));
        }
        else
        {
            ConsoleOutput.Table(["Version", "Stage", "Status", "Aliases", "Run ID", "Source"], versions.Select(v => (IReadOnlyList<string>)
                [v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), v.CurrentStage.ToString(), v.Status.ToString(), string.Join(", ", v.Aliases), v.RunId ?? "", v.Source]));
        }
    }

    private static Command VersionsCommand()
    {
        var name = NameOption();
        var command = new Command("versions", "List the versions of a registered model, newest first.") { name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            var filter = $"name = '{parse.GetValue(name)!.Replace("'", "\\'", StringComparison.Ordinal)}'";
            var versions = await client.Registry.SearchModelVersionsAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false);
            PrintVersions(parse, versions.OrderByDescending(v => v.Version));
            return CliApp.Ok;
        });
        return command;
    }

    private static Command TransitionStageCommand()
    {
        var name = NameOption();
        var version = VersionOption();
        var stage = new Option<ModelVersionStage>("--stage") { Description = "None, Staging, Production or Archived.", Required = true };
        var archive = new Option<bool>("--archive-existing-versions") { Description = "Move the versions already in that stage to Archived." };
        var command = new Command("transition-stage", "Move a model version to a stage.") { name, version, stage, archive };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            var moved = await client.Registry.TransitionStageAsync(parse.GetValue(name)!, parse.GetValue(version), parse.GetValue(stage), parse.GetValue(archive), cancellationToken).ConfigureAwait(false);
            PrintVersions(parse, [moved]);
            return CliApp.Ok;
        });
        return command;
    }

    private static Command SetAliasCommand()
    {
        var name = NameOption();
        var alias = new Option<string>("--alias") { Description = "The alias, e.g. champion.", Required = true };
        var version = VersionOption();
        var command = new Command("set-alias", "Point an alias of a registered model at a version.") { name, alias, version };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            await client.Registry.SetAliasAsync(parse.GetValue(name)!, parse.GetValue(alias)!, parse.GetValue(version), cancellationToken).ConfigureAwait(false);
            if (GlobalOptions.Json(parse))
            {
                ConsoleOutput.Json(new JsonObject { ["name"] = parse.GetValue(name), ["alias"] = parse.GetValue(alias), ["version"] = parse.GetValue(version) });
            }
            else
            {
                Console.WriteLine($"Alias '{parse.GetValue(alias)}' of model '{parse.GetValue(name)}' now points at version {parse.GetValue(version)}.");
            }

            return CliApp.Ok;
        });
        return command;
    }
}
