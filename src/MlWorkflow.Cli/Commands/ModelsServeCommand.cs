using System.CommandLine;
using Microsoft.Extensions.Logging;
using MlWorkflow.Serving;

namespace MlWorkflow.Cli.Commands;

/// <summary><c>mlw models serve</c>: MLflow's scoring server (<c>mlflow models serve</c>) for an ML.NET model, on <see cref="ModelServer"/>.</summary>
internal static class ModelsServeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model-uri", "-m") { Description = "The model: models:/Name/Production, models:/Name@alias, models:/Name/3, runs:/<run id>/model or a model folder.", Required = true };
        var host = new Option<string>("--host") { Description = "The address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = ListeningCommand.PortOption(5001);
        var token = new Option<string?>("--bearer-token") { Description = "Require 'Authorization: Bearer <token>' on every request but /ping and /health. The default value is MLW_SERVING_BEARER_TOKEN, else no check." };
        var poll = new Option<int>("--poll-interval") { Description = "Seconds between registry look-ups of a stage or alias (0 turns following off).", DefaultValueFactory = _ => 30 };
        var timeout = new Option<double?>("--timeout", "-t") { Description = "Seconds one /invocations call may take before it is stopped and answered 504 (0: no limit). The default value is MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT, else 60." };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "How much the server logs; information logs the model loaded and every swap.", DefaultValueFactory = _ => LogLevel.Information };
        var command = new Command("serve", "Serve a model over MLflow's scoring protocol (/ping, /health, /version, /invocations), as `mlflow models serve` does.")
        {
            model, host, port, token, poll, timeout, logLevel,
        };
        command.Validators.Add(result =>
        {
            ListeningCommand.CheckPort(result, port);

            if (result.GetValue(timeout) is < 0 or > 86_400)
            {
                result.AddError("--timeout must be between 0 (no limit) and 86400 seconds.");
            }

            if (result.GetValue(poll) < 0)
            {
                result.AddError("--poll-interval cannot be negative.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var level = parse.GetValue(logLevel);

            // Before the server runs, a failure to load is reported in one line by mlw; its logged copy would repeat it with a stack trace.
            var started = false;
            using var loggers = LoggerFactory.Create(logging => logging
                .AddSimpleConsole(console => console.SingleLine = true)
                .SetMinimumLevel(level)
                .AddFilter("Microsoft", (LogLevel)Math.Max((int)level, (int)LogLevel.Warning))
                .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None)
                .AddFilter((category, messageLevel) => started || messageLevel < LogLevel.Error || category?.StartsWith("MlWorkflow.Serving", StringComparison.Ordinal) != true));
            await using var client = GlobalOptions.CreateClient(parse);
            var options = new ModelServerOptions
            {
                ModelUri = parse.GetValue(model)!,
                Client = client,
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                BearerToken = parse.GetValue(token) ?? (Environment.GetEnvironmentVariable("MLW_SERVING_BEARER_TOKEN") is { Length: > 0 } fromEnvironment ? fromEnvironment : null),
                RegistryPollInterval = TimeSpan.FromSeconds(parse.GetValue(poll)),
                RequestTimeout = RequestTimeout(parse.GetValue(timeout)),
                LoggerFactory = loggers,
            };
            if (string.IsNullOrWhiteSpace(options.ModelUri))
            {
                throw new UsageException("--model-uri is empty: give a model, e.g. -m models:/Name/Production or -m runs:/<run id>/model.");
            }

            var server = await ListeningCommand.StartAsync(() => ModelServer.StartAsync(options, cancellationToken), options.Host, options.Port).ConfigureAwait(false);
            started = true;
            var version = server.ModelVersion is { } v ? $" (version {v})" : "";
            return await ListeningCommand.RunUntilStoppedAsync(
                server,
                () =>
                {
                    Console.WriteLine($"Serving {ServerCommand.Quote(options.ModelUri)}{version} on {server.Uri}; Ctrl+C stops it.");
                    Console.WriteLine($"Score with: POST {server.Uri}invocations");
                },
                server.WaitForShutdownAsync,
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>--timeout, else MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT (seconds, as MLflow reads it), else 60 s; 0 means none.</summary>
    private static TimeSpan RequestTimeout(double? seconds)
    {
        if (seconds is null && Environment.GetEnvironmentVariable("MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT") is { Length: > 0 } text)
        {
            seconds = double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed is >= 0 and <= 86_400
                ? parsed
                : throw new UsageException($"MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT='{ServerCommand.Quote(text)}' is not a number of seconds from 0 to 86400.");
        }

        return seconds switch
        {
            null => MlflowModelOptions.DefaultRequestTimeout,
            0 => Timeout.InfiniteTimeSpan,
            var s => TimeSpan.FromSeconds(s.Value),
        };
    }
}
