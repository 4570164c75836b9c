using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlWorkflow.Cli.Output;
using MlWorkflow.Cli.Projects;
using MlWorkflow.Tracking;

namespace MlWorkflow.Cli.Commands;

/// <summary>
/// <c>mlw run DIR</c>: runs an MLflow Project's entry point in a new run, as <c>mlflow run DIR --env-manager local</c>
/// (https://mlflow.org/docs/latest/projects.html#running-projects).
/// </summary>
internal static class RunCommand
{
    /// <summary>The artifact the entry point's output is saved to.</summary>
    public const string OutputArtifact = "mlw-run-output.log";

    public static Command Create()
    {
        var directory = new Argument<string>("project") { Description = "The project folder (with an MLproject file).", DefaultValueFactory = _ => "." };
        var entryPoint = new Option<string>("--entry-point", "-e") { Description = "The entry point to run.", DefaultValueFactory = _ => "main" };
        var parameters = new Option<string[]>("--param-list", "-P") { Description = "A parameter, name=value; repeatable.", AllowMultipleArgumentsPerToken = false };
        var experimentName = new Option<string?>("--experiment-name") { Description = "The experiment, created if missing. The default value is MLFLOW_EXPERIMENT_NAME." };
        var experimentId = new Option<string?>("--experiment-id") { Description = "The experiment's id. The default value is MLFLOW_EXPERIMENT_ID, else the default experiment 0." };
        var runName = new Option<string?>("--run-name") { Description = "The run's name. The default value is a generated one." };
        var version = new Option<string?>("--version", "-v") { Description = "A commit (or branch, tag) of the project's git repository to run, from a clean checkout." };
        var envManager = new Option<string?>("--env-manager") { Description = "local runs the command in the current environment. Projects naming python_env or conda_env run only with local." };
        envManager.AcceptOnlyFromAmong("local", "virtualenv", "conda");
        var command = new Command("run", "Run an MLflow Project (MLproject) entry point in a new run: parameters checked, MLflow's tags, output saved, FINISHED/FAILED/KILLED.")
        {
            directory, entryPoint, parameters, experimentName, experimentId, runName, version, envManager,
        };
        command.WithTrackingOptions();
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await RunAsync(parse, parse.GetValue(directory)!, parse.GetValue(entryPoint)!, parse.GetValue(parameters) ?? [], parse.GetValue(experimentName),
                    parse.GetValue(experimentId), parse.GetValue(runName), parse.GetValue(version), parse.GetValue(envManager), cancellationToken).ConfigureAwait(false);
            }
            catch (ProjectException e)
            {
                throw new UsageException(e.Message);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, string directory, string entryPointName, string[] parameterList, string? experimentName, string? experimentId,
        string? runName, string? version, string? envManager, CancellationToken cancellationToken)
    {
        // Everything that can be wrong with the command line is found before the run is created.
        var given = parameterList.Select(p => p.IndexOf('=', StringComparison.Ordinal) is > 0 and var i ? (p[..i], p[(i + 1)..]) : throw new ProjectException($"Invalid format for -P parameter: '{ServerCommand.Quote(p)}'. Use -P name=value.")).ToList();
        experimentName ??= Environment.GetEnvironmentVariable("MLFLOW_EXPERIMENT_NAME") is { Length: > 0 } envName ? envName : null;
        experimentId ??= Environment.GetEnvironmentVariable("MLFLOW_EXPERIMENT_ID") is { Length: > 0 } envId ? envId : null;
        if (experimentName is not null && experimentId is not null)
        {
            throw new ProjectException("Specify only one of --experiment-name or --experiment-id.");
        }

        var source = Path.GetFullPath(directory);
        var git = Directory.Exists(source) ? await GitInfo.ReadAsync(source, cancellationToken).ConfigureAwait(false) : null;
        string? checkout = null;
        try
        {
            var projectDirectory = source;
            if (version is not null)
            {
                if (git is null)
                {
                    throw new ProjectException("Setting a version is only supported for projects in a git repository.");
                }

                (checkout, projectDirectory) = await CheckoutAsync(git, source, version, cancellationToken).ConfigureAwait(false);
                git = await GitInfo.ReadCommitAsync(projectDirectory, cancellationToken).ConfigureAwait(false) is { } commit ? git with { Commit = commit } : git;
            }

            var project = MlProject.Load(projectDirectory);
            if (project.Environment is "python_env" or "conda_env" && envManager != "local")
            {
                throw new ProjectException($"This project names {project.Environment}: mlw runs it only with --env-manager local (in the current environment); virtualenv and conda environments are not created.");
            }

            if (project.Environment == "docker_env")
            {
                throw new ProjectException("docker_env projects are not supported yet.");
            }

            if (envManager is "virtualenv" or "conda")
            {
                throw new ProjectException($"--env-manager {envManager} is not supported yet; use --env-manager local.");
            }

            if (!project.EntryPoints.TryGetValue(entryPointName, out var entryPoint))
            {
                throw new ProjectException($"Could not find '{ServerCommand.Quote(entryPointName)}' among the entry points [{string.Join(", ", project.EntryPoints.Keys.Select(k => $"'{k}'"))}].");
            }

            var values = ProjectCommandLine.Resolve(entryPoint, given);
            var quoted = values.ToDictionary(v => v.Parameter.Name, v => ProjectCommandLine.ShellQuote(ProjectCommandLine.CommandValue(v.Parameter, v.Value)), StringComparer.Ordinal);
            var commandLine = ProjectCommandLine.Template(entryPoint.Command, quoted);
            var sdk = await DotnetSdkAsync(projectDirectory, cancellationToken).ConfigureAwait(false);

            await using var client = GlobalOptions.CreateClient(parse);
            var experiment = experimentName is not null
                ? await client.GetOrCreateExperimentAsync(experimentName, cancellationToken).ConfigureAwait(false)
                : await client.GetExperimentAsync(experimentId ?? Experiment.DefaultExperimentId, cancellationToken).ConfigureAwait(false);

            // MLflow's project tags (https://mlflow.org/docs/latest/tracking/tracking-api.html#system-tags).
            var tags = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["mlflow.source.type"] = "PROJECT",
                ["mlflow.source.name"] = SourceName(git, source),
                ["mlflow.project.entryPoint"] = entryPoint.Name,
                ["mlflow.project.backend"] = "local",
                ["mlflow.user"] = Environment.UserName,
            };
            if (git is not null)
            {
                tags["mlflow.source.git.commit"] = git.Commit;
                if (git.RemoteUrl is { } url)
                {
                    tags["mlflow.source.git.repoURL"] = url;
                    tags["mlflow.gitRepoURL"] = url;
                }
            }

            if (sdk is not null)
            {
                tags["mlw.dotnet.sdkVersion"] = sdk.Value.Version;
                if (sdk.Value.Pinned is { } pinned)
                {
                    tags["mlw.dotnet.globalJsonSdk"] = pinned;
                }
            }

            var run = await client.CreateRunAsync(new CreateRunRequest
            {
                ExperimentId = experiment.ExperimentId,
                RunName = runName,
                UserId = Environment.UserName,
                StartTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Tags = tags.Select(t => new RunTag(t.Key, t.Value)).ToList(),
            }, cancellationToken).ConfigureAwait(false);
            var runId = run.Info.RunId;
            await client.LogBatchAsync(runId, parameters: values.Select(v => new Param(v.Parameter.Name, v.Parameter.Type == "path" ? v.Value : ProjectCommandLine.ShellQuote(v.Value))).ToList(), cancellationToken: cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"=== Running command '{commandLine}' in run with ID '{runId}' ===");

            var trackingUri = client.TrackingUri ?? TrackingUri.Resolve(parse.GetValue(GlobalOptions.TrackingUri));
            var (exitCode, log, killed) = await ExecuteAsync(commandLine, projectDirectory, runId, trackingUri, experiment.ExperimentId, GlobalOptions.Json(parse), cancellationToken).ConfigureAwait(false);
            try
            {
                // The output is saved and the status set even when the run was interrupted: the token is already cancelled then.
                await client.LogArtifactAsync(runId, log, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                var status = killed ? RunStatus.Killed : exitCode == 0 ? RunStatus.Finished : RunStatus.Failed;
                await client.SetTerminatedAsync(runId, status, CancellationToken.None).ConfigureAwait(false);
                var outcome = killed ? "was killed" : exitCode == 0 ? "succeeded" : $"failed (exit code {exitCode})";
                Console.Error.WriteLine($"=== Run (ID '{runId}') {outcome} ===");
                if (GlobalOptions.Json(parse))
                {
                    ConsoleOutput.Json(new JsonObject { ["run_id"] = runId, ["experiment_id"] = experiment.ExperimentId, ["status"] = status.ToString().ToUpperInvariant(), ["exit_code"] = exitCode });
                }

                return exitCode == 0 && !killed ? CliApp.Ok : CliApp.Failed;
            }
            finally
            {
                File.Delete(log);
                Directory.Delete(Path.GetDirectoryName(log)!);
            }
        }
        finally
        {
            if (checkout is not null)
            {
                DeleteCheckout(checkout);
            }
        }
    }

    private static string SourceName(GitInfo? git, string source)
    {
        if (git is null)
        {
            return source;
        }

        var relative = Path.GetRelativePath(git.WorkTree, source).Replace(Path.DirectorySeparatorChar, '/');
        return "file://" + git.WorkTree + (relative == "." ? "" : "#" + relative);
    }

    /// <summary>A clean clone of the repository at the version asked, and the project's folder in it.</summary>
    private static async Task<(string Checkout, string ProjectDirectory)> CheckoutAsync(GitInfo git, string source, string version, CancellationToken cancellationToken)
    {
        var checkout = Directory.CreateTempSubdirectory("mlw-project-").FullName;
        if (await GitInfo.GitAsync(checkout, cancellationToken, "clone", "--quiet", git.WorkTree, checkout).ConfigureAwait(false) is null
            || await GitInfo.GitAsync(checkout, cancellationToken, "checkout", "--quiet", version).ConfigureAwait(false) is null)
        {
            DeleteCheckout(checkout);
            throw new ProjectException($"Version '{ServerCommand.Quote(version)}' is not a commit, branch or tag of the repository at '{ServerCommand.Quote(git.WorkTree)}'.");
        }

        return (checkout, Path.Combine(checkout, Path.GetRelativePath(git.WorkTree, source)));
    }

    private static void DeleteCheckout(string checkout)
    {
        // git marks its object files read-only.
        foreach (var file in Directory.EnumerateFiles(checkout, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(checkout, recursive: true);
    }

    /// <summary>The .NET SDK the project builds with (<c>dotnet --version</c> in its folder, which honours <c>global.json</c>) and the version <c>global.json</c> pins; null without a .NET project.</summary>
    private static async Task<(string Version, string? Pinned)?> DotnetSdkAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.EnumerateFiles(directory, "*.csproj").Any() && !Directory.EnumerateFiles(directory, "*.fsproj").Any())
        {
            return null;
        }

        string? pinned = null;
        for (var folder = new DirectoryInfo(directory); folder is not null; folder = folder.Parent)
        {
            var globalJson = Path.Combine(folder.FullName, "global.json");
            if (File.Exists(globalJson))
            {
                try
                {
                    using var document = JsonDocument.Parse(await File.ReadAllTextAsync(globalJson, cancellationToken).ConfigureAwait(false));
                    pinned = document.RootElement.TryGetProperty("sdk", out var sdk) && sdk.TryGetProperty("version", out var v) ? v.GetString() : null;
                }
                catch (JsonException e)
                {
                    throw new ProjectException($"'{ServerCommand.Quote(globalJson)}' is not valid JSON: {ServerCommand.Quote(e.Message)}");
                }

                break;
            }
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--version");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new ProjectException($"The .NET SDK pinned by global.json ({pinned}) is not installed: {ServerCommand.Quote((await error.ConfigureAwait(false)).Trim())}");
        }

        return ((await output.ConfigureAwait(false)).Trim(), pinned);
    }

    /// <summary>Runs the command with <c>bash -c</c> in the project folder, its output streamed to ours and saved to a file; Ctrl+C stops it.</summary>
    private static async Task<(int ExitCode, string Log, bool Killed)> ExecuteAsync(string commandLine, string directory, string runId, string trackingUri, string experimentId, bool stdoutIsJson, CancellationToken cancellationToken)
    {
        var start = OperatingSystem.IsWindows() ? new ProcessStartInfo("cmd") { ArgumentList = { "/c", commandLine } } : new ProcessStartInfo("bash") { ArgumentList = { "-c", commandLine } };
        start.WorkingDirectory = directory;
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["MLFLOW_RUN_ID"] = runId;
        start.Environment["MLFLOW_TRACKING_URI"] = trackingUri;
        start.Environment["MLFLOW_EXPERIMENT_ID"] = experimentId;

        var log = Path.Combine(Directory.CreateTempSubdirectory("mlw-run-").FullName, OutputArtifact);
        await using var writer = new StreamWriter(log) { AutoFlush = true };
        var gate = new object();
        void Line(string? line, TextWriter console)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                console.WriteLine(line);
                writer.WriteLine(line);
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Line(e.Data, stdoutIsJson ? Console.Error : Console.Out); // --output json keeps stdout for the result
        process.ErrorDataReceived += (_, e) => Line(e.Data, Console.Error);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var killed = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            killed = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        // WaitForExitAsync returns once the output is drained too.
        lock (gate)
        {
            writer.Flush();
        }

        return (process.ExitCode, log, killed);
    }
}
