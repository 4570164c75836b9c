using System.Diagnostics;

namespace MlWorkflow.Cli.Projects;

/// <summary>What git says about the repository holding a folder: its work tree, HEAD commit and first remote.</summary>
internal sealed record GitInfo(string WorkTree, string Commit, string? RemoteUrl)
{
    /// <summary>Null when the folder is not inside a git work tree (or git is not installed).</summary>
    public static async Task<GitInfo?> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var workTree = await GitAsync(directory, cancellationToken, "rev-parse", "--show-toplevel").ConfigureAwait(false);
        var commit = await GitAsync(directory, cancellationToken, "rev-parse", "HEAD").ConfigureAwait(false);
        if (workTree is null || commit is null)
        {
            return null;
        }

        var remotes = await GitAsync(directory, cancellationToken, "remote").ConfigureAwait(false);
        var first = remotes?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var url = first is null ? null : await GitAsync(directory, cancellationToken, "remote", "get-url", first).ConfigureAwait(false);
        return new GitInfo(workTree, commit, url);
    }

    /// <summary>Runs git; its trimmed stdout, or null when it fails.</summary>
    public static async Task<string?> GitAsync(string directory, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(directory);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0 ? (await output.ConfigureAwait(false)).Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
