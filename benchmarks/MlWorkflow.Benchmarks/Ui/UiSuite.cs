using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Server;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Benchmarks.Ui;

/// <summary>
/// Issue 15's figures: the web UI of a <see cref="TrackingServer"/> on 127.0.0.1 over a file store with a 10,000-run
/// experiment (10 params, 5 metrics, 3 tags each) and one run with a 1,000,000-point metric history. Server time is taken
/// by a middleware around each request (what the server spends, not the loopback); each figure is the median of 7 requests.
/// </summary>
internal sealed partial class UiSuite : IBenchmarkSuite
{
    private const int Runs = 10_000;
    private const int HistoryPoints = 1_000_000;
    private const int Samples = 7;

    public string Name => "ui";

    public string Description => "web UI: runs page of a 10,000-run experiment after idle, chart data of a 1,000,000-point history, bytes of a first page load";

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var root = Path.Combine(report.WorkDirectory, "mlruns");
        using var store = new FileTrackingStore(root);
        var (experimentId, longRunId) = await BuildStoreAsync(store, cancellationToken);

        var serverTimes = new ConcurrentDictionary<string, double>();
        await using var server = await TrackingServer.StartAsync(
            new TrackingServerOptions
            {
                Store = store,
                Port = 0,
                LoggerFactory = NullLoggerFactory.Instance,
                ConfigurePipeline = app => app.Use(async (context, next) =>
                {
                    var watch = Stopwatch.StartNew();
                    context.Response.Headers["X-Bench-Id"] = context.TraceIdentifier;
                    await next(context);
                    serverTimes[context.TraceIdentifier] = watch.Elapsed.TotalMilliseconds;
                }),
            },
            cancellationToken);
        using var http = new HttpClient { BaseAddress = server.Uri, Timeout = TimeSpan.FromSeconds(60) };
        FigureReport.Note($"  server on {server.Uri}");

        async Task<(double Ms, byte[] Body)> TimedGetAsync(string path)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(path, cancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return (watch.Elapsed.TotalMilliseconds, body);
        }

        // First load: the runs page of the big experiment and everything it references (the script and the stylesheet).
        var runsPage = $"/experiments/{experimentId}";
        var first = await TimedGetAsync(runsPage);
        FigureReport.Note($"  first runs page in {first.Ms:F0} ms (client side, the store's first search of the experiment)");
        var html = System.Text.Encoding.UTF8.GetString(first.Body);
        var assets = AssetPattern().Matches(html).Select(m => m.Groups[1].Value).ToList();
        long bytes = first.Body.Length;
        foreach (var asset in assets)
        {
            bytes += (await TimedGetAsync(asset)).Body.Length;
        }

        report.Add("ui_first_load_kb", bytes / 1024.0);
        FigureReport.Note($"  first load: runs page {first.Body.Length:N0} B + {assets.Count} assets = {bytes:N0} B (uncompressed)");

        var pageTimes = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            // After idle: past the file store's revalidation interval, so that each page sees the store checked again.
            await Task.Delay(store.SearchCacheRevalidationInterval + TimeSpan.FromMilliseconds(100), cancellationToken);
            pageTimes.Add(await ServerTimeAsync(http, runsPage, serverTimes, cancellationToken));
        }

        report.Add("ui_runs_page_ms", Median(pageTimes));
        FigureReport.Note($"  runs page (10,000 runs, 100 a page): server time, samples {string.Join(", ", pageTimes.Select(t => t.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} ms");

        var chartTimes = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            chartTimes.Add(await ServerTimeAsync(http, $"/ui-api/chart?runs={longRunId}&key=loss", serverTimes, cancellationToken));
        }

        report.Add("ui_chart_data_ms", Median(chartTimes));
        var read = Stopwatch.StartNew();
        var all = await store.GetMetricHistoryAsync(longRunId, "loss", null, null, cancellationToken);
        FigureReport.Note($"  of which the store's read of {all.Items.Count:N0} points: {read.Elapsed.TotalMilliseconds:F0} ms");
    }

    private static async Task<double> ServerTimeAsync(HttpClient http, string path, ConcurrentDictionary<string, double> serverTimes, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var id = response.Headers.GetValues("X-Bench-Id").Single();

        // The middleware records the time once the answer is sent, which the client may see a moment before.
        double ms;
        for (var wait = 0; !serverTimes.TryGetValue(id, out ms) && wait < 1000; wait++)
        {
            await Task.Delay(1, cancellationToken);
        }

        return ms;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static async Task<(string ExperimentId, string LongRunId)> BuildStoreAsync(FileTrackingStore store, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var experimentId = await store.CreateExperimentAsync("ui-bench", cancellationToken: cancellationToken);
        var next = -1;
        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Runs)
                {
                    var random = new Random(i);
                    var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, RunName = $"run-{i}", UserId = "bench", StartTime = 1_700_000_000_000 + random.Next(1_000_000) }, cancellationToken);
                    var metrics = Enumerable.Range(0, 5).Select(k => new Metric($"m{k}", random.NextDouble(), 1_700_000_000_000 + i, 0)).ToList();
                    var parameters = Enumerable.Range(0, 10).Select(k => new Param($"p{k}", $"v{random.Next(1, 5)}")).ToList();
                    var tags = new List<RunTag> { new("mlflow.source.name", "train.py"), new("team", "pricing"), new("stage", random.Next(2) == 0 ? "a" : "b") };
                    await store.LogBatchAsync(run.Info.RunId, metrics, parameters, tags, cancellationToken);
                }
            },
            cancellationToken)).ToList();
        await Task.WhenAll(workers);
        FigureReport.Note($"  built {Runs:N0} runs in {watch.Elapsed.TotalSeconds:F1} s");

        watch.Restart();
        var history = await store.CreateExperimentAsync("ui-bench-history", cancellationToken: cancellationToken);
        var longRun = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = history, RunName = "long", StartTime = 1_700_000_000_000 }, cancellationToken);
        const int Batch = 1000;
        var points = new Metric[Batch];
        for (var start = 0; start < HistoryPoints; start += Batch)
        {
            for (var k = 0; k < Batch; k++)
            {
                var step = start + k;
                points[k] = new Metric("loss", 1.0 / (step + 1), 1_700_000_000_000 + step, step);
            }

            await store.LogBatchAsync(longRun.Info.RunId, points, [], [], cancellationToken);
        }

        FigureReport.Note($"  logged {HistoryPoints:N0} points in {watch.Elapsed.TotalSeconds:F1} s");
        return (experimentId, longRun.Info.RunId);
    }

    [GeneratedRegex("(?:src|href)=\"(/static/[^\"]+)\"")]
    private static partial Regex AssetPattern();
}
