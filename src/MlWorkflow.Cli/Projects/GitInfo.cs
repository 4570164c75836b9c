using System.Diagnostics;

namespace MlWorkflow.Cli.Projects;

/// <summary>What git says about the repository holding a folder: its work tree, HEAD commit and first remote.</summary>
internal sealed record GitInfo(string WorkTree, string Commit, string? RemoteUrl)
{
    /// <summary>Null when the folder is not inside a git work tree (or git is not installed).</summary>
    public static async Task<GitInfo?> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        // One call answers both: rev-parse prints the top level, then the commit, one per line.
        var lines = (await GitAsync(directory, cancellationToken, "rev-parse", "--show-toplevel", "HEAD").ConfigureAwait(false))?.Split('\n');
        if (lines is not [var workTree, var commit])
        {
            return null;
        }

        // "remote.<name>.url <url>" per remote, in configuration order: the first is the first remote.
        var remotes = await GitAsync(directory, cancellationToken, "config", "--get-regexp", @"^remote\..*\.url$").ConfigureAwait(false);
        var first = remotes?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var url = first?.IndexOf(' ', StringComparison.Ordinal) is > 0 and var space ? first[(space + 1)..] : null;
        return new GitInfo(workTree.Trim(), commit.Trim(), url);
    }

    /// <summary>The HEAD commit of the repository holding a folder; null outside a work tree.</summary>
    public static Task<string?> ReadCommitAsync(string directory, CancellationToken cancellationToken) =>
        GitAsync(directory, cancellationToken, "rev-parse", "HEAD");

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
