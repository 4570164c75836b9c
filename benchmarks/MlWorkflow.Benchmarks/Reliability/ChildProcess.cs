using System.Diagnostics;

namespace MlWorkflow.Benchmarks.Reliability;

/// <summary>Starts this benchmark executable again in a child role, with its standard output and error redirected.</summary>
internal static class ChildProcess
{
    public static Process Start(params string[] arguments)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable path is unknown.");
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Under `dotnet run` the process path is the apphost; under `dotnet MlWorkflow.Benchmarks.dll` it is dotnet itself.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.FileName = self;
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }
        else
        {
            start.FileName = self;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {self}.");
    }
}
