using System.CommandLine;
using System.Text.Json.Nodes;
using MlWorkflow.Cli.Output;
using MlWorkflow.Tracking;

namespace MlWorkflow.Cli.Commands;

/// <summary><c>mlw artifacts list|download|log-artifact|log-artifacts</c>, as <c>mlflow artifacts</c>.</summary>
internal static class ArtifactsCommand
{
    public static Command Create()
    {
        var group = new Command("artifacts", "List, download and upload run artifacts.").WithTrackingOptions();
        group.Subcommands.Add(ListCommand());
        group.Subcommands.Add(DownloadCommand());
        group.Subcommands.Add(LogArtifactCommand());
        group.Subcommands.Add(LogArtifactsCommand());
        return group;
    }

    private static Option<string> RunIdOption(bool required = true) => new("--run-id", "-r") { Description = "The run's id.", Required = required };

    private static Option<string?> ArtifactPathOption(string description) => new("--artifact-path", "-a") { Description = description };

    private static Command ListCommand()
    {
        var runId = RunIdOption();
        var path = ArtifactPathOption("The folder to list, relative to the run's artifact root. The default value is the root.");
        var command = new Command("list", "List a run's artifacts (one level).") { runId, path };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = GlobalOptions.CreateClient(parse);
            var files = await client.ListArtifactsAsync(parse.GetValue(runId)!, parse.GetValue(path), cancellationToken).ConfigureAwait(false);
            if (GlobalOptions.Json(parse))
            {
                ConsoleOutput.Json(new JsonArray(files.Select(f =>
                {
                    var node = new JsonObject { ["path"] = f.Path, ["is_dir"] = f.IsDirectory };
                    if (f.FileSize is { } size)
                    {
                        node["file_size"] = size;
                    }

                    return (JsonNode)node;
                }).ToArray()));
            }
            else
            {
                ConsoleOutput.Table(["Path", "Type", "Size"], files.Select(f => (IReadOnlyList<string>)[f.Path, f.IsDirectory ? "dir" : "file", ConsoleOutput.Size(f.FileSize)]));
            }

            return CliApp.Ok;
        });
        return command;
    }

    private static Command DownloadCommand()
    {
        var runId = RunIdOption(required: false);
        var path = ArtifactPathOption("The file or folder to download, relative to the run's artifact root. The default value is everything.");
        var uri = new Option<string?>("--artifact-uri", "-u") { Description = "Instead of --run-id/--artifact-path: a runs:/<run id>/<path> URI." };
        var destination = new Option<string?>("--dst-path", "-d") { Description = "The local folder to download into. The default value is a new temporary folder." };
        var command = new Command("download", "Download a run's artifacts, with a progress line per file on stderr; prints the local path.") { runId, path, uri, destination };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (run, artifactPath) = Target(parse.GetValue(runId), parse.GetValue(path), parse.GetValue(uri));
            var target = parse.GetValue(destination) is { } d ? Path.GetFullPath(d) : Directory.CreateTempSubdirectory("mlw-artifacts-").FullName;
            await using var client = GlobalOptions.CreateClient(parse);
            var repository = await client.GetArtifactRepositoryAsync(run, cancellationToken).ConfigureAwait(false);

            // A folder is downloaded file by file, so that each shows on the progress line.
            var files = await ListFilesAsync(client, run, artifactPath, cancellationToken).ConfigureAwait(false);
            string local;
            if (files is null)
            {
                ConsoleOutput.Progress(0, 1, artifactPath ?? "");
                local = await repository.DownloadAsync(artifactPath, target, cancellationToken).ConfigureAwait(false);
                ConsoleOutput.Progress(1, 1, artifactPath ?? "");
            }
            else
            {
                var prefix = string.IsNullOrEmpty(artifactPath) ? "" : artifactPath.TrimEnd('/') + "/";
                local = string.IsNullOrEmpty(artifactPath) ? target : Path.Combine(target, Path.GetFileName(artifactPath.TrimEnd('/')));
                Directory.CreateDirectory(local);
                for (var i = 0; i < files.Count; i++)
                {
                    var relative = files[i].Path.StartsWith(prefix, StringComparison.Ordinal) ? files[i].Path[prefix.Length..] : files[i].Path;
                    var folder = Path.GetFullPath(Path.Combine(local, Path.GetDirectoryName(relative) ?? ""));
                    if (!(folder + Path.DirectorySeparatorChar).StartsWith(local + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        throw new MlflowException(ErrorCode.InvalidParameterValue, $"Refusing artifact '{ServerCommand.Quote(files[i].Path)}': it would be written outside '{ServerCommand.Quote(local)}'.");
                    }

                    ConsoleOutput.Progress(i + 1, files.Count, $"{files[i].Path} ({ConsoleOutput.Size(files[i].FileSize)})");
                    await repository.DownloadAsync(files[i].Path, folder, cancellationToken).ConfigureAwait(false);
                }
            }

            if (GlobalOptions.Json(parse))
            {
                ConsoleOutput.Json(new JsonObject { ["path"] = local });
            }
            else
            {
                Console.WriteLine(local);
            }

            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>Every file under a folder, recursively; null when the path names a file.</summary>
    private static async Task<List<ArtifactFileInfo>?> ListFilesAsync(MlflowClient client, string runId, string? path, CancellationToken cancellationToken)
    {
        var top = await client.ListArtifactsAsync(runId, path, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(path) && top.Count == 1 && !top[0].IsDirectory && top[0].Path == path.TrimEnd('/'))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(path) && top.Count == 0)
        {
            // An empty listing is a file (MLflow lists nothing under a file) or a missing path: the download says which.
            return null;
        }

        var files = new List<ArtifactFileInfo>();
        var pending = new Stack<ArtifactFileInfo>(top.Reverse());
        while (pending.Count > 0)
        {
            var entry = pending.Pop();
            if (!entry.IsDirectory)
            {
                files.Add(entry);
                continue;
            }

            foreach (var child in (await client.ListArtifactsAsync(runId, entry.Path, cancellationToken).ConfigureAwait(false)).Reverse())
            {
                pending.Push(child);
            }
        }

        return files;
    }

    private static (string RunId, string? Path) Target(string? runId, string? path, string? uri)
    {
        if (uri is null)
        {
            return runId is null ? throw new UsageException("Give --run-id (with --artifact-path) or --artifact-uri runs:/<run id>/<path>.") : (runId, path);
        }

        if (runId is not null || path is not null)
        {
            throw new UsageException("Give either --artifact-uri or --run-id/--artifact-path, not both.");
        }

        if (!uri.StartsWith("runs:/", StringComparison.Ordinal))
        {
            throw new UsageException($"--artifact-uri '{ServerCommand.Quote(uri)}': only runs:/<run id>/<path> URIs are supported.");
        }

        var rest = uri["runs:/".Length..].TrimStart('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (rest, null) : (rest[..slash], rest[(slash + 1)..] is { Length: > 0 } p ? p : null);
    }

    private static Command LogArtifactCommand()
    {
        var file = new Option<string>("--local-file", "-l") { Description = "The file to upload.", Required = true };
        var runId = RunIdOption();
        var path = ArtifactPathOption("The folder to put it in, relative to the run's artifact root. The default value is the root.");
        var command = new Command("log-artifact", "Upload a file to a run's artifacts.") { file, runId, path };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var local = parse.GetValue(file)!;
            if (!File.Exists(local))
            {
                throw new UsageException($"--local-file '{ServerCommand.Quote(local)}' is not a file.");
            }

            await using var client = GlobalOptions.CreateClient(parse);
            ConsoleOutput.Progress(0, 1, $"{local} ({ConsoleOutput.Size(new FileInfo(local).Length)})");
            await client.LogArtifactAsync(parse.GetValue(runId)!, local, parse.GetValue(path), cancellationToken).ConfigureAwait(false);
            ConsoleOutput.Progress(1, 1, local);
            Logged(parse, 1, $"Logged artifact from local file {local} to artifact_path={parse.GetValue(path) ?? "None"}");
            return CliApp.Ok;
        });
        return command;
    }

    private static Command LogArtifactsCommand()
    {
        var directory = new Option<string>("--local-dir", "-l") { Description = "The folder whose files to upload.", Required = true };
        var runId = RunIdOption();
        var path = ArtifactPathOption("The folder to put them in, relative to the run's artifact root. The default value is the root.");
        var command = new Command("log-artifacts", "Upload a folder's files to a run's artifacts, with a progress line per file on stderr.") { directory, runId, path };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var local = parse.GetValue(directory)!;
            if (!Directory.Exists(local))
            {
                throw new UsageException($"--local-dir '{ServerCommand.Quote(local)}' is not a folder.");
            }

            var root = Path.GetFullPath(local);
            var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .Order(StringComparer.Ordinal).ToList();
            await using var client = GlobalOptions.CreateClient(parse);
            var baseArtifactPath = parse.GetValue(path)?.Trim('/');
            for (var i = 0; i < files.Count; i++)
            {
                var folder = Path.GetDirectoryName(Path.GetRelativePath(root, files[i]))!.Replace(Path.DirectorySeparatorChar, '/');
                var artifactPath = string.Join('/', new[] { baseArtifactPath, folder }.Where(s => !string.IsNullOrEmpty(s)));
                ConsoleOutput.Progress(i + 1, files.Count, $"{Path.GetRelativePath(root, files[i])} ({ConsoleOutput.Size(new FileInfo(files[i]).Length)})");
                await client.LogArtifactAsync(parse.GetValue(runId)!, files[i], artifactPath.Length == 0 ? null : artifactPath, cancellationToken).ConfigureAwait(false);
            }

            Logged(parse, files.Count, $"Logged {files.Count} artifact(s) from local dir {local} to artifact_path={parse.GetValue(path) ?? "None"}");
            return CliApp.Ok;
        });
        return command;
    }

    private static void Logged(ParseResult parse, int count, string message)
    {
        if (GlobalOptions.Json(parse))
        {
            ConsoleOutput.Json(new JsonObject { ["files"] = count });
        }
        else
        {
            Console.WriteLine(message);
        }
    }
}
