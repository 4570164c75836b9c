using System.Globalization;
using MlWorkflow.Server;
using MlWorkflow.Tracking;

namespace MlWorkflow.Benchmarks.Reliability;

/// <summary>The child modes of the reliability suite: a tracking server on a given port, and a file-store writer that prints each acknowledged step.</summary>
internal static class ChildModes
{
    public const string Server = "reliability-server";
    public const string Writer = "reliability-writer";

    /// <summary>Runs a child mode when the arguments name one; null otherwise.</summary>
    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (args.Length == 3 && args[0] == Server)
        {
            await using var server = await TrackingServer.StartAsync(new TrackingServerOptions
            {
                BackendStoreUri = args[1],
                Port = int.Parse(args[2], CultureInfo.InvariantCulture),
                LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            });
            Console.WriteLine("listening " + server.Uri);
            await server.WaitForShutdownAsync();
            return 0;
        }

        if (args.Length == 5 && args[0] == Writer)
        {
            // root, run id, metric key, first step: logs 10-point batches until killed, printing the last step of each acknowledged batch.
            var store = new FileTrackingStore(args[1]);
            var step = long.Parse(args[4], CultureInfo.InvariantCulture);
            while (true)
            {
                var batch = Enumerable.Range(0, 10).Select(i => new Metric(args[3], step + i, 1_700_000_000_000 + step + i, step + i)).ToArray();
                await store.LogBatchAsync(args[2], batch, [], []);
                step += batch.Length;
                Console.WriteLine((step - 1).ToString(CultureInfo.InvariantCulture));
            }
        }

        return null;
    }
}
