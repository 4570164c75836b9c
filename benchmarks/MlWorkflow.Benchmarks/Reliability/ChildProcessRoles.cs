using System.Globalization;
using MlWorkflow.Server;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Benchmarks.Reliability;

/// <summary>
/// The child processes the reliability suite starts (this same executable with a role as its first argument) and kills:
/// a store writer that prints each acknowledged step, and a tracking server on a given port.
/// </summary>
internal static class ChildProcessRoles
{
    /// <summary>The first argument that selects the writer role.</summary>
    public const string Writer = "--reliability-writer";

    /// <summary>The first argument that selects the server role.</summary>
    public const string Server = "--reliability-server";

    /// <summary>Runs a role when <paramref name="args"/> names one; returns <see langword="null"/> otherwise.</summary>
    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            return null;
        }

        switch (args[0])
        {
            case Writer:
                return await RunWriterAsync(args[1], args[2], args[3], long.Parse(args[4], CultureInfo.InvariantCulture));
            case Server:
                return await RunServerAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
            default:
                return null;
        }
    }

    /// <summary>
    /// Appends batches of 200 points of <paramref name="key"/> (steps from <paramref name="firstStep"/> on) to the run until
    /// killed, printing <c>acked LAST</c> after each batch the store acknowledged.
    /// </summary>
    private static async Task<int> RunWriterAsync(string root, string runId, string key, long firstStep)
    {
        const int BatchSize = 200;
        var store = new FileTrackingStore(root);
        var stdout = Console.Out;
        for (var step = firstStep; ; step += BatchSize)
        {
            var metrics = new Metric[BatchSize];
            for (var i = 0; i < BatchSize; i++)
            {
                metrics[i] = new Metric(key, step + i, 1_700_000_000_000 + step + i, step + i);
            }

            await store.LogBatchAsync(runId, metrics, [], []);
            await stdout.WriteLineAsync($"acked {step + BatchSize - 1}");
            await stdout.FlushAsync();
        }
    }

    /// <summary>Serves <paramref name="root"/> on 127.0.0.1:<paramref name="port"/> until killed; prints <c>ready</c> once listening.</summary>
    private static async Task<int> RunServerAsync(string root, int port)
    {
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = root, Port = port });
        Console.WriteLine("ready");
        Console.Out.Flush();
        await server.WaitForShutdownAsync();
        return 0;
    }
}
