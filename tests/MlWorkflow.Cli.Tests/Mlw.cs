using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace MlWorkflow.Cli.Tests;

/// <summary>What one <c>mlw</c> process printed and how it exited.</summary>
internal sealed record MlwResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json() => JsonDocument.Parse(Stdout).RootElement.Clone();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the built <c>mlw.dll</c> as a real process, as a user would (<c>dotnet mlw.dll ...</c>).</summary>
internal static class Mlw
{
    public static string DllPath { get; } = typeof(Mlw).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MlwPath").Value!;

    public static string RepositoryRoot { get; } = typeof(Mlw).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>Where the tests' <c>mlw</c> processes keep their start-up JIT profiles.</summary>
    public static string JitProfiles { get; } = Path.Combine(AppContext.BaseDirectory, "jit-profiles");

    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The tests' own environment must not leak a store into the child.
        start.Environment.Remove("MLFLOW_TRACKING_URI");
        start.Environment.Remove("MLFLOW_EXPERIMENT_ID");

        // Start-up profiles in the build output rather than the user's cache folder (a test may set its own).
        start.Environment["MLW_JIT_PROFILE"] = JitProfiles;
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>
    /// Interrupts <paramref name="process"/> as Ctrl+C does (SIGINT) and waits for it to exit, at most a minute (a safety
    /// net, not a timing assertion). A shell that starts a job in the background without job control leaves SIGINT ignored
    /// in it, and the ignore is inherited by every child, which then cannot see Ctrl+C at all: in that case SIGTERM, which
    /// <c>mlw</c> handles the same way, is sent instead.
    /// </summary>
    public static async Task InterruptAsync(Process process)
    {
        var signal = SigIntIgnoredHere() ? "-TERM" : "-INT";
        using (var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(hang.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mlw did not stop within a minute of {signal[1..]}.");
        }
    }

    /// <summary>Whether this process ignores SIGINT (bit 2 of <c>SigIgn</c> in /proc/self/status), as its children then do.</summary>
    private static bool SigIntIgnoredHere()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }

    /// <summary>Ends a long-running <c>mlw</c> (a server) that a test started, if it still runs, and waits for it.</summary>
    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public static Task<MlwResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        RunWithInputAsync(workingDirectory, environment, null, args);

    /// <summary>Runs <c>mlw</c> with <paramref name="input"/> on its standard input (then closed).</summary>
    public static async Task<MlwResult> RunWithInputAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, string? input, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, args))!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // A safety net against a hung child, not a timing assertion.
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(hang.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mlw {string.Join(' ', args)} did not exit.");
        }

        return new MlwResult(process.ExitCode, await stdout, await stderr);
    }
}
