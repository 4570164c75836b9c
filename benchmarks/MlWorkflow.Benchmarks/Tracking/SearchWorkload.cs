using System.Diagnostics;
using MlWorkflow.Tracking;

namespace MlWorkflow.Benchmarks.Tracking;

/// <summary>
/// The search workload every store is measured on (issue 11's figures, issue 17's beside them): 10,000 runs of 20 params,
/// 10 metrics and 10 tags, one create-run and one log-batch each, searched with one filter and order.
/// </summary>
internal static class SearchWorkload
{
    /// <summary>Runs built.</summary>
    public const int Runs = 10_000;

    /// <summary>The filter searched (about 250 matches).</summary>
    public const string Filter = "metrics.m0 < 0.5 and params.p0 = 'v1' and tags.t0 = 'x'";

    /// <summary>The order searched.</summary>
    public static readonly string[] OrderBy = ["metrics.m1 DESC"];

    /// <summary>The first page of 100 of the workload's search in an experiment.</summary>
    public static SearchRunsRequest Request(string experimentId) =>
        new() { ExperimentIds = [experimentId], Filter = Filter, OrderBy = OrderBy, MaxResults = 100 };

    /// <summary>Builds the runs in a new experiment <c>search-bench</c> with one writer per core; returns it and the runs per second.</summary>
    public static async Task<(string ExperimentId, double RunsPerSecond)> BuildAsync(ITrackingStore store, CancellationToken cancellationToken)
    {
        var experimentId = await store.CreateExperimentAsync("search-bench", cancellationToken: cancellationToken);
        var watch = Stopwatch.StartNew();
        var next = -1;
        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Runs)
                {
                    var random = new Random(i);
                    var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, RunName = $"run-{i}", StartTime = 1_700_000_000_000 + random.Next(1_000_000) }, cancellationToken);
                    var metrics = Enumerable.Range(0, 10).Select(k => new Metric($"m{k}", random.NextDouble(), 1_700_000_000_000 + i, 0)).ToList();
                    var parameters = Enumerable.Range(0, 20).Select(k => new Param($"p{k}", $"v{random.Next(1, 3)}")).ToList();
                    var tags = Enumerable.Range(0, 10).Select(k => new RunTag($"t{k}", random.Next(2) == 0 ? "x" : "y")).ToList();
                    await store.LogBatchAsync(run.Info.RunId, metrics, parameters, tags, cancellationToken);
                }
            },
            cancellationToken)).ToList();
        await Task.WhenAll(workers);
        return (experimentId, Runs / watch.Elapsed.TotalSeconds);
    }
}
