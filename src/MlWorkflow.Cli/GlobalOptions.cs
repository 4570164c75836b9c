using System.CommandLine;
using MlWorkflow.Tracking;

namespace MlWorkflow.Cli;

/// <summary>The options shared by the commands that talk to a tracking store.</summary>
internal static class GlobalOptions
{
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print the stack trace of unexpected errors.",
        Recursive = true,
    };

    public static readonly Option<string?> TrackingUri = new("--tracking-uri")
    {
        Description = "The tracking store: a folder, a file: URI or an http(s) server. The default value is MLFLOW_TRACKING_URI, else ./mlruns.",
        Recursive = true,
    };

    public static readonly Option<OutputFormat> Output = new("--output", "-o")
    {
        Description = "table for people, json for scripts.",
        DefaultValueFactory = _ => OutputFormat.Table,
        Recursive = true,
    };

    /// <summary>Adds the tracking options to a command group; they apply to all its subcommands.</summary>
    public static Command WithTrackingOptions(this Command command)
    {
        command.Options.Add(TrackingUri);
        command.Options.Add(Output);
        return command;
    }

    public static MlflowClient CreateClient(ParseResult parse) => MlflowClient.Create(parse.GetValue(TrackingUri));

    public static bool Json(ParseResult parse) => parse.GetValue(Output) == OutputFormat.Json;
}

/// <summary>How results are printed.</summary>
internal enum OutputFormat
{
    /// <summary>Aligned columns for people.</summary>
    Table,

    /// <summary>Indented JSON for scripts.</summary>
    Json,
}
