using System.CommandLine;
using Microsoft.Extensions.Logging;
using MlWorkflow.Server;
using MlWorkflow.Server.Auth;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Cli.Commands;

/// <summary><c>mlw server</c>: an MLflow-compatible tracking server over a file store or a SQL database in MLflow's schema.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var backend = new Option<string>("--backend-store-uri") { Description = "The store to serve: a folder or a file: URI (MLflow's file store), or a database in MLflow's schema: sqlite:///path/mlflow.db, postgresql://user:password@host:port/db.", DefaultValueFactory = _ => "./mlruns" };
        var registry = new Option<string?>("--registry-store-uri") { Description = "Where the model registry lives, as in `mlflow server`: a folder or file: URI (a file store's models/), or a database in MLflow's schema (sqlite:///path, postgresql://...). The default: the backend store's registry." };
        var defaultArtifactRoot = new Option<string?>("--default-artifact-root") { Description = "Where new experiments keep their artifacts: a folder, a file: URI, s3://bucket/prefix (clients then write there directly), or mlflow-artifacts:/ (the artifacts destination). The default: the artifacts destination when artifacts are served, else the backend store's folder." };
        var artifactsDestination = new Option<string?>("--artifacts-destination") { Description = "Where the artifact proxy (mlflow-artifacts:/ URIs, /api/2.0/mlflow-artifacts) keeps artifacts: a folder, a file: URI or s3://bucket/prefix (configured by MLFLOW_S3_ENDPOINT_URL and the AWS environment). The default: the backend store's folder (./mlartifacts for a SQL store)." };
        var host = new Option<string>("--host") { Description = "The address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = ListeningCommand.PortOption(5000);
        var workers = new Option<int?>("--workers", "-w") { Description = "Accepted for compatibility with `mlflow server`: one process serves all requests concurrently, so no worker processes are started." };
        var serveArtifacts = new Option<bool>("--serve-artifacts") { Description = "Serve the mlflow-artifacts API so that clients upload and download artifacts through the server (on by default, as in `mlflow server`)." };
        var noServeArtifacts = new Option<bool>("--no-serve-artifacts") { Description = "Do not serve the mlflow-artifacts API (clients then write artifacts to the experiments' artifact locations directly)." };
        var noUi = new Option<bool>("--no-ui") { Description = "Do not serve the web UI at / (only the APIs)." };
        var certificate = new Option<string?>("--certificate") { Description = "Serve HTTPS with this PKCS#12 file, or PEM certificate with --certificate-key; the password, if any, comes from MLW_CERTIFICATE_PASSWORD." };
        var certificateKey = new Option<string?>("--certificate-key") { Description = "The PEM private key of a PEM --certificate." };
        var allowedHosts = new Option<string?>("--allowed-hosts") { Description = "Host names the server answers, comma-separated (name, *.domain)." };
        var auth = new Option<bool>("--auth") { Description = "Require users and permissions, as MLflow's basic-auth app: HTTP Basic (or bearer) credentials on every call but /health. The first admin comes from MLW_ADMIN_USERNAME and MLW_ADMIN_PASSWORD." };
        var authDatabase = new Option<string?>("--auth-database-uri") { Description = "Where users and permissions are kept (sqlite:///path, postgresql://...). The default: the backend's database for a SQL backend, else basic_auth.db beside the file store's folder." };
        var defaultPermission = new Option<string>("--default-permission") { Description = "The permission of users on experiments and models they have no record for: READ (MLflow's default), EDIT, MANAGE or NO_PERMISSIONS.", DefaultValueFactory = _ => "READ" };
        var authTokens = new Option<string?>("--auth-tokens-file") { Description = "A file of bearer tokens, one '<username> <token>' per line ('#' starts a comment): a request with 'Authorization: Bearer <token>' acts as that user." };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "How much the server logs; information logs one line per request.", DefaultValueFactory = _ => LogLevel.Information };

        var command = new Command("server", "Run an MLflow-compatible tracking server (REST API, model registry, artifact proxy, web UI at /) over a file store or a SQL database in MLflow's schema.")
        {
            backend, registry, defaultArtifactRoot, artifactsDestination, host, port, workers, serveArtifacts, noServeArtifacts, noUi, certificate, certificateKey, allowedHosts, auth, authDatabase, defaultPermission, authTokens, logLevel,
        };
        command.Validators.Add(result =>
        {
            ListeningCommand.CheckPort(result, port);

            if (result.GetValue(workers) is < 1)
            {
                result.AddError("--workers must be at least 1.");
            }

            if (result.GetValue(defaultPermission) is { } permission && permission is not ("READ" or "EDIT" or "MANAGE" or "NO_PERMISSIONS"))
            {
                result.AddError("--default-permission must be READ, EDIT, MANAGE or NO_PERMISSIONS.");
            }

            if (!result.GetValue(auth) && (result.GetValue(authDatabase) is not null || result.GetValue(authTokens) is not null))
            {
                result.AddError("--auth-database-uri and --auth-tokens-file need --auth.");
            }

            if (result.GetValue(serveArtifacts) && result.GetValue(noServeArtifacts))
            {
                result.AddError("--serve-artifacts and --no-serve-artifacts contradict each other; give one.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = parse.GetValue(backend)!;
            CheckFileStore("--backend-store-uri", store);
            var registryUri = parse.GetValue(registry);
            if (registryUri is not null)
            {
                CheckFileStore("--registry-store-uri", registryUri);
            }

            var root = SqlTrackingStore.IsDatabaseUri(store) ? Path.GetFullPath("mlartifacts") : FileUris.ToPath(store);
            var serve = !parse.GetValue(noServeArtifacts);
            var destination = CheckArtifactsDestination(parse.GetValue(artifactsDestination), serve);
            var defaultRoot = CheckDefaultArtifactRoot(parse.GetValue(defaultArtifactRoot), serve);
            if (parse.GetValue(workers) is > 1 and var count)
            {
                Console.Error.WriteLine($"mlw: --workers {count}: one process serves all requests concurrently; no worker processes are started.");
            }

            var options = new TrackingServerOptions
            {
                BackendStoreUri = store,
                RegistryStoreUri = registryUri,
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                ServeArtifacts = serve,
                ServeUi = !parse.GetValue(noUi),
                ArtifactsDestination = destination,
                DefaultArtifactRoot = defaultRoot,
                CertificatePath = parse.GetValue(certificate),
                CertificateKeyPath = parse.GetValue(certificateKey),
                CertificatePassword = Environment.GetEnvironmentVariable("MLW_CERTIFICATE_PASSWORD") is { Length: > 0 } password ? password : null,
            };
            if (parse.GetValue(allowedHosts) is { } hosts)
            {
                options.AllowedHosts = hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }

            if (parse.GetValue(auth))
            {
                options.Auth = new MlflowAuthOptions
                {
                    DatabaseUri = parse.GetValue(authDatabase),
                    DefaultPermission = parse.GetValue(defaultPermission) switch
                    {
                        "EDIT" => MlflowPermissionLevel.Edit,
                        "MANAGE" => MlflowPermissionLevel.Manage,
                        "NO_PERMISSIONS" => MlflowPermissionLevel.NoPermissions,
                        _ => MlflowPermissionLevel.Read,
                    },
                };
                if (parse.GetValue(authTokens) is { } tokens)
                {
                    ReadTokens(tokens, options.Auth.BearerTokens);
                }
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
            var server = await ListeningCommand.StartAsync(
                async () =>
                {
                    try
                    {
                        return await TrackingServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
                    }
                    catch (InvalidOperationException e) when (options.Auth is not null)
                    {
                        // No admin yet, or half of one: the user fixes the environment.
                        throw new UsageException(e.Message);
                    }
                },
                options.Host,
                options.Port).ConfigureAwait(false);
            return await ListeningCommand.RunUntilStoppedAsync(
                server,
                () =>
                {
                    Console.WriteLine($"MLflow-compatible tracking server on {server.Uri} (store: {store}); Ctrl+C stops it.");
                    Console.WriteLine(serve
                        ? $"Artifacts are proxied (mlflow-artifacts:/) to {(destination is null ? root : FileUris.HasScheme(destination) && !destination.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? destination : FileUris.ToPath(destination))}."
                        : "Artifacts are not served: clients write them to the experiments' artifact locations directly.");
                    if (options.Auth is not null)
                    {
                        Console.WriteLine("Users and permissions are on: clients log in with MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD.");
                    }

                    Console.WriteLine($"Point clients at it: MLFLOW_TRACKING_URI={server.Uri.ToString().TrimEnd('/')}");
                },
                server.WaitForShutdownAsync,
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Reads '&lt;username&gt; &lt;token&gt;' lines; a malformed line is a usage error naming its number, never its token.</summary>
    private static void ReadTokens(string path, IDictionary<string, string> tokens)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--auth-tokens-file '{Quote(path)}' cannot be read: {e.Message}");
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || parts[1].Length < 16)
            {
                throw new UsageException($"--auth-tokens-file '{Quote(path)}' line {i + 1}: expected '<username> <token>' with a token of at least 16 characters.");
            }

            tokens[parts[1]] = parts[0];
        }
    }

    /// <summary>Refuses the SQL and remote store URIs MLflow accepts but mlw does not open (MySQL, SQL Server, remote schemes).</summary>
    internal static void CheckFileStore(string option, string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 1 ? uri[..colon].ToLowerInvariant() : "";
        if (scheme is "mysql" or "mssql" || scheme.StartsWith("mysql+", StringComparison.Ordinal) || scheme.StartsWith("mssql+", StringComparison.Ordinal))
        {
            throw new UsageException($"{option} '{Quote(SecretRedactor(uri))}': {scheme}: databases are not supported; use sqlite:///path/mlflow.db, postgresql://user:password@host:port/db or a folder (MLflow's file store).");
        }

        if (colon > 1 && scheme != "file" && !SqlTrackingStore.IsDatabaseUri(uri))
        {
            throw new UsageException($"{option} '{Quote(uri)}': only local folders, file: URIs and databases (sqlite:, postgresql:) are supported.");
        }
    }

    /// <summary>The proxy's destination as given, once checked: a local folder or file: URI, and only with artifact serving.</summary>
    private static string? CheckArtifactsDestination(string? value, bool serve)
    {
        if (value is null)
        {
            return null;
        }

        if (!serve)
        {
            throw new UsageException("--artifacts-destination needs artifact serving: drop --no-serve-artifacts, or drop --artifacts-destination.");
        }

        CheckLocalFolder("--artifacts-destination", value);
        return value;
    }

    /// <summary>The default artifact root as given, once checked: a local folder, a file: URI, or mlflow-artifacts:/ while artifacts are served.</summary>
    private static string? CheckDefaultArtifactRoot(string? value, bool serve)
    {
        if (value is null)
        {
            return null;
        }

        if (!value.StartsWith("mlflow-artifacts:", StringComparison.OrdinalIgnoreCase))
        {
            CheckLocalFolder("--default-artifact-root", value);
            return value;
        }

        if (!serve)
        {
            throw new UsageException($"--default-artifact-root '{Quote(value)}' names the artifact proxy, which --no-serve-artifacts turns off; give a folder instead.");
        }

        var sub = value["mlflow-artifacts:".Length..].TrimStart('/');
        if (Uri.UnescapeDataString(sub).Replace('\\', '/').Split('/').Contains(".."))
        {
            throw new UsageException($"--default-artifact-root '{Quote(value)}': the path after mlflow-artifacts:/ must stay inside the artifacts destination (no '..').");
        }

        return value;
    }

    /// <summary>Checks a local folder, a file: URI, or a remote root (s3://) an artifact repository serves.</summary>
    private static void CheckLocalFolder(string option, string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon > 1 && !value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            // A remote root (s3://bucket/prefix) is checked by creating its repository: a bad bucket name or a missing package fails here.
            try
            {
                new Tracking.Artifacts.ArtifactRepositoryFactory().Create(value);
                return;
            }
            catch (MlflowException e)
            {
                throw new UsageException($"{option} '{Quote(value)}': {e.Message}");
            }
        }

        try
        {
            FileUris.ToPath(value);
        }
        catch (Exception e) when (e is MlflowException or ArgumentException)
        {
            throw new UsageException($"{option} '{Quote(value)}': {e.Message}");
        }
    }

    private static string SecretRedactor(string uri) => System.Text.RegularExpressions.Regex.Replace(uri, "://([^:/@]+):[^@/]*@", "://$1:***@");

    internal static string Quote(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
