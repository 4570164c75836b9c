using System.Diagnostics;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Benchmarks.Logging;

/// <summary>
/// Metric logging throughput: 100,000 points (100 keys × 1,000 steps) through <see cref="ActiveRun"/> until flushed to
/// a file store, beside the same points sent straight to the store in 1,000-point log-batch calls.
/// </summary>
internal sealed class ActiveRunLoggingSuite : IBenchmarkSuite
{
    private const int Keys = 100;
    private const int Steps = 1000;
    private const int Points = Keys * Steps;

    public string Name => "logging";

    public string Description => "100,000 metric points through ActiveRun to a file store, beside direct log-batch calls";

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var keys = Enumerable.Range(0, Keys).Select(k => $"metric_{k:D3}").ToArray();

        // Warm up the JIT and the file system on a throwaway store.
        await LogThroughActiveRunAsync(Path.Combine(report.WorkDirectory, "warmup"), keys, 10, cancellationToken);

        var best = double.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            best = Math.Min(best, await LogThroughActiveRunAsync(Path.Combine(report.WorkDirectory, $"active-{attempt}"), keys, Steps, cancellationToken));
        }

        var direct = double.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            direct = Math.Min(direct, await LogDirectAsync(Path.Combine(report.WorkDirectory, $"direct-{attempt}"), keys, cancellationToken));
        }

        report.Add("log_points_per_s", Points / best);
        report.Add("log_points_seconds", best);
        report.Add("direct_log_batch_points_per_s", Points / direct);
        report.Add("active_run_vs_direct_ratio", best / direct);
    }

    private static async Task<double> LogThroughActiveRunAsync(string root, string[] keys, int steps, CancellationToken cancellationToken)
    {
        var client = new MlflowClient(new FileTrackingStore(root));
        var experiment = await client.GetOrCreateExperimentAsync("bench", cancellationToken);
        var watch = Stopwatch.StartNew();
        await using (var run = await client.StartRunAsync(experiment, "logging", cancellationToken: cancellationToken))
        {
            for (var step = 0; step < steps; step++)
            {
                foreach (var key in keys)
                {
                    run.LogMetric(key, step * 0.001, step);
                }
            }

            var enqueued = watch.Elapsed.TotalSeconds;
            await run.FlushAsync(cancellationToken);
            watch.Stop();
            if (steps == Steps)
            {
                FigureReport.Note($"  enqueue {enqueued:F3} s, flush after {watch.Elapsed.TotalSeconds - enqueued:F3} s");
            }
            var history = await client.GetMetricHistoryAsync(run.RunId, keys[^1], cancellationToken);
            if (history.Count != steps)
            {
                throw new InvalidOperationException($"Expected {steps} points of {keys[^1]}, found {history.Count}.");
            }
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> LogDirectAsync(string root, string[] keys, CancellationToken cancellationToken)
    {
        var store = new FileTrackingStore(root);
        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = "0", RunName = "direct" }, cancellationToken);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // What a caller who batches by hand sends: 1,000 points a call, in logging order.
        var all = new List<Metric>(Points);
        for (var step = 0; step < Steps; step++)
        {
            foreach (var key in keys)
            {
                all.Add(new Metric(key, step * 0.001, now, step));
            }
        }

        var watch = Stopwatch.StartNew();
        foreach (var chunk in all.Chunk(1000))
        {
            await store.LogBatchAsync(run.Info.RunId, chunk, [], [], cancellationToken);
        }

        return watch.Elapsed.TotalSeconds;
    }
}
