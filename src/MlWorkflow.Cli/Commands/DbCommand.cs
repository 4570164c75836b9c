using System.CommandLine;
using System.Text.Json.Nodes;
using MlWorkflow.Cli.Output;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Cli.Commands;

/// <summary><c>mlw db migrate-file-store ./mlruns sqlite:///mlflow.db</c>: copies a file store into a database in MLflow's schema.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var group = new Command("db", "Databases in MLflow's schema (sqlite:, postgresql:).");
        group.Subcommands.Add(MigrateFileStoreCommand());
        return group;
    }

    private static Command MigrateFileStoreCommand()
    {
        var source = new Argument<string>("file-store") { Description = "The file store's folder, such as ./mlruns." };
        var target = new Argument<string>("database-uri") { Description = "An empty database: sqlite:///mlflow.db or postgresql://user:password@host:port/db." };
        var command = new Command("migrate-file-store", "Copy a file store (experiments, runs, metrics, params, tags, inputs, registry; ids and timestamps kept) into an empty database, then verify the copy. Artifacts stay where they are.") { source, target };
        command.Options.Add(GlobalOptions.Output);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var uri = parse.GetValue(target)!;
            if (!SqlTrackingStore.IsDatabaseUri(uri))
            {
                throw new UsageException($"'{ServerCommand.Quote(uri)}' is not a database URI: give sqlite:///path/mlflow.db or postgresql://user:password@host:port/db.");
            }

            var folder = parse.GetValue(source)!;
            if (!Directory.Exists(folder))
            {
                throw new UsageException($"'{ServerCommand.Quote(folder)}' is not a folder: give the file store's root, such as ./mlruns.");
            }

            var result = await FileStoreMigration.MigrateAsync(folder, uri, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (GlobalOptions.Json(parse))
            {
                ConsoleOutput.Json(new JsonObject
                {
                    ["experiments"] = result.Experiments,
                    ["runs"] = result.Runs,
                    ["metric_points"] = result.MetricPoints,
                    ["registered_models"] = result.RegisteredModels,
                    ["model_versions"] = result.ModelVersions,
                });
            }
            else
            {
                Console.WriteLine($"Copied and verified {result.Experiments} experiments, {result.Runs} runs, {result.MetricPoints} metric points, {result.RegisteredModels} registered models and {result.ModelVersions} model versions.");
            }

            return CliApp.Ok;
        });
        return command;
    }
}
