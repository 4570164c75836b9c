using System.Diagnostics;

namespace MlWorkflow.Benchmarks.Reliability;

/// <summary>This benchmark executable started again in a child mode (a server or a writer), so that it can be killed like a real process.</summary>
internal static class ChildProcess
{
    /// <summary>Starts <c>MlWorkflow.Benchmarks &lt;mode&gt; &lt;args…&gt;</c> with standard output redirected.</summary>
    public static Process Start(string mode, params string[] arguments)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The children run with the garbage collector of `mlw server` (workstation), not the benchmark's server GC.
        info.Environment["DOTNET_gcServer"] = "0";
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable is unknown.");
        info.FileName = host;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        info.ArgumentList.Add(mode);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start the {mode} child process.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills a child at once (as <c>kill -9</c> would) and waits for it to be gone.</summary>
    public static async Task KillAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>The resident memory of a process, in MiB.</summary>
    public static double ResidentMegabytes(Process process)
    {
        process.Refresh();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }
}
