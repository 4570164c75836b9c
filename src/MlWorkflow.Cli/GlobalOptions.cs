using System.CommandLine;
using Microsoft.Extensions.Logging;
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
        Description = "The tracking store: a folder or file: URI, a sqlite:/// or postgresql:// database, or an http(s) server. The default value is MLFLOW_TRACKING_URI, else ./mlruns.",
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

    /// <summary>
    /// A client for <c>--tracking-uri</c> (else <c>MLFLOW_TRACKING_URI</c>, else <c>./mlruns</c>) whose log goes to stderr:
    /// retries as they happen (the final failure is the command's own one-line error), everything with <c>--verbose</c>.
    /// </summary>
    public static MlflowClient CreateClient(ParseResult parse)
    {
        var verbose = parse.GetValue(Verbose);
        var loggers = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddFilter((_, level) => verbose || level == LogLevel.Warning));
        Loggers.Add(loggers);
        return MlflowClient.Create(parse.GetValue(TrackingUri), new MlflowClientOptions { LoggerFactory = loggers });
    }

    /// <summary>The logger factories of the clients made (a command makes one or two).</summary>
    private static readonly List<ILoggerFactory> Loggers = [];

    /// <summary>Flushes and closes the clients' logs, at the end of the process.</summary>
    public static void DisposeLoggers()
    {
        foreach (var loggers in Loggers)
        {
            loggers.Dispose();
        }
    }

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
