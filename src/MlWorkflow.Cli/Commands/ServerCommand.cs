using System.CommandLine;
using Microsoft.Extensions.Logging;
using MlWorkflow.Server;
using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Cli.Commands;

/// <summary><c>mlw server</c>: an MLflow-compatible tracking server over a file store.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var backend = new Option<string>("--backend-store-uri") { Description = "The file store to serve: a folder or a file: URI. SQL stores are not supported yet.", DefaultValueFactory = _ => "./mlruns" };
        var defaultArtifactRoot = new Option<string?>("--default-artifact-root") { Description = "Where new experiments keep their artifacts. Only the backend store's own folder is supported now (the default)." };
        var artifactsDestination = new Option<string?>("--artifacts-destination") { Description = "Where proxied artifacts are stored. Only the backend store's own folder is supported now (the default); s3: and other remote stores are not supported yet." };
        var host = new Option<string>("--host") { Description = "The address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = ListeningCommand.PortOption(5000);
        var workers = new Option<int?>("--workers", "-w") { Description = "Accepted for compatibility with `mlflow server`: one process serves all requests concurrently, so no worker processes are started." };
        var noServeArtifacts = new Option<bool>("--no-serve-artifacts") { Description = "Do not serve the mlflow-artifacts API (clients then write artifacts to the store's folder directly)." };
        var certificate = new Option<string?>("--certificate") { Description = "Serve HTTPS with this PKCS#12 file, or PEM certificate with --certificate-key; the password, if any, comes from MLW_CERTIFICATE_PASSWORD." };
        var certificateKey = new Option<string?>("--certificate-key") { Description = "The PEM private key of a PEM --certificate." };
        var allowedHosts = new Option<string?>("--allowed-hosts") { Description = "Host names the server answers, comma-separated (name, *.domain)." };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "How much the server logs; information logs one line per request.", DefaultValueFactory = _ => LogLevel.Information };

        var command = new Command("server", "Run an MLflow-compatible tracking server (REST API, model registry, artifact proxy) over a file store.")
        {
            backend, defaultArtifactRoot, artifactsDestination, host, port, workers, noServeArtifacts, certificate, certificateKey, allowedHosts, logLevel,
        };
        command.Validators.Add(result =>
        {
            ListeningCommand.CheckPort(result, port);

            if (result.GetValue(workers) is < 1)
            {
                result.AddError("--workers must be at least 1.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = parse.GetValue(backend)!;
            CheckFileStore("--backend-store-uri", store);
            var root = FileUris.ToPath(store);
            CheckArtifactLocation("--default-artifact-root", parse.GetValue(defaultArtifactRoot), root);
            CheckArtifactLocation("--artifacts-destination", parse.GetValue(artifactsDestination), root);
            if (parse.GetValue(workers) is > 1 and var count)
            {
                Console.Error.WriteLine($"mlw: --workers {count}: one process serves all requests concurrently; no worker processes are started.");
            }

            var options = new TrackingServerOptions
            {
                BackendStoreUri = store,
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                ServeArtifacts = !parse.GetValue(noServeArtifacts),
                CertificatePath = parse.GetValue(certificate),
                CertificateKeyPath = parse.GetValue(certificateKey),
                CertificatePassword = Environment.GetEnvironmentVariable("MLW_CERTIFICATE_PASSWORD") is { Length: > 0 } password ? password : null,
            };
            if (parse.GetValue(allowedHosts) is { } hosts)
            {
                options.AllowedHosts = hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }

            var level = parse.GetValue(logLevel);

            // One line per request at Information level (ASP.NET Core's request log), warnings and failures at any level but none.
            using var loggers = LoggerFactory.Create(logging => logging
                .AddSimpleConsole(console => console.SingleLine = true)
                .SetMinimumLevel(level)
                .AddFilter("Microsoft", (LogLevel)Math.Max((int)level, (int)LogLevel.Warning))
                .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level)
                .AddFilter("Microsoft.Hosting.Lifetime", level)
                .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None)); // its start failures are thrown, and reported in one line below
            options.LoggerFactory = loggers;
            var server = await ListeningCommand.StartAsync(() => TrackingServer.StartAsync(options, cancellationToken), options.Host, options.Port).ConfigureAwait(false);
            return await ListeningCommand.RunUntilStoppedAsync(
                server,
                () =>
                {
                    Console.WriteLine($"MLflow-compatible tracking server on {server.Uri} (store: {store}); Ctrl+C stops it.");
                    Console.WriteLine($"Point clients at it: MLFLOW_TRACKING_URI={server.Uri.ToString().TrimEnd('/')}");
                },
                server.WaitForShutdownAsync,
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Refuses the SQL and remote store URIs MLflow accepts but this server does not serve yet.</summary>
    internal static void CheckFileStore(string option, string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 1 ? uri[..colon].ToLowerInvariant() : "";
        if (scheme is "sqlite" or "postgresql" or "mysql" or "mssql" || scheme.StartsWith("postgresql+", StringComparison.Ordinal) || scheme.StartsWith("mysql+", StringComparison.Ordinal) || scheme.StartsWith("mssql+", StringComparison.Ordinal))
        {
            throw new UsageException($"{option} '{Quote(uri)}': SQL stores ({scheme}:) are not supported yet; use a folder (MLflow's file store), e.g. {option} ./mlruns.");
        }

        if (colon > 1 && scheme != "file")
        {
            throw new UsageException($"{option} '{Quote(uri)}': only local folders and file: URIs are supported.");
        }
    }

    private static void CheckArtifactLocation(string option, string? value, string storeRoot)
    {
        if (value is null)
        {
            return;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon > 1 && !value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"{option} '{Quote(value)}': remote artifact stores ({value[..colon]}:) are not supported yet; artifacts are kept under the backend store's folder.");
        }

        if (!string.Equals(Path.TrimEndingDirectorySeparator(FileUris.ToPath(value)), Path.TrimEndingDirectorySeparator(storeRoot), StringComparison.Ordinal))
        {
            throw new UsageException($"{option} '{Quote(value)}': a folder other than the backend store's is not supported yet; artifacts are kept under '{Quote(storeRoot)}'.");
        }
    }

    internal static string Quote(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
