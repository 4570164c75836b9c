using System.Diagnostics;

namespace MlWorkflow.Benchmarks.Harness;

/// <summary>Reports the machine the figures come from and a baseline of its speed, so that figures from different days can be compared.</summary>
internal sealed class EnvironmentSuite : IBenchmarkSuite
{
    public string Name => "env";

    public string Description => "the machine: cores, memory, and a baseline of raw file append and hashing speed";

    public Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        report.Add("cores", Environment.ProcessorCount);
        report.Add("memory_gb", Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024, 1));

        var path = Path.Combine(report.WorkDirectory, "append.txt");
        var line = "1700000000000 0.123456789 42\n"u8.ToArray();
        var watch = Stopwatch.StartNew();
        using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 4096))
        {
            for (var i = 0; i < 1_000_000; i++)
            {
                stream.Write(line);
            }
        }

        report.Add("raw_append_lines_per_s", 1_000_000 / watch.Elapsed.TotalSeconds);

        var data = new byte[64 * 1024 * 1024];
        Random.Shared.NextBytes(data);
        watch.Restart();
        System.Security.Cryptography.SHA256.HashData(data);
        report.Add("sha256_mb_per_s", 64 / watch.Elapsed.TotalSeconds);
        return Task.CompletedTask;
    }
}
