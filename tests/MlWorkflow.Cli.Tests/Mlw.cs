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
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public static async Task<MlwResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, args))!;
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
