using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;
using MlWorkflow.Autologging;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Data;
using MlWorkflow.Models;
using MlWorkflow.Serving;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Training;

namespace MlWorkflow.Benchmarks.Serving;

/// <summary>
/// Issue 13's figures: a random forest (FastForest, 100 trees, the catalog's deep-tree defaults) trained once on
/// diamonds.csv (price from the 9 other columns, strings one-hot), logged to a file store, registered and moved to
/// Production, served by <see cref="ModelServer"/> on 127.0.0.1 from <c>models:/Diamonds/Production</c>; a load client in
/// the same process (HttpClient on SocketsHttpHandler, 32 concurrent loops, one connection each) posts
/// <c>dataframe_split</c> bodies for a fixed time after a warm-up. The direct cost of a prediction (no HTTP) is measured
/// beside it to show where the time goes.
/// </summary>
internal sealed class ServingSuite : IBenchmarkSuite
{
    private const int Seed = 42;
    private const int Concurrency = 32;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(10);

    public string Name => "serving";

    public string Description => "ModelServer scoring a 100-tree FastForest on diamonds: 32 concurrent loops, single-row and 100-row dataframe_split, 2 s warm-up + 10 s each";

    private static string DataFile => Path.Combine(AppContext.BaseDirectory, "data", "diamonds.csv");

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        using var client = MlflowClient.Create(Path.Combine(report.WorkDirectory, "mlruns"));
        var watch = Stopwatch.StartNew();
        string modelUri;
        using (var trained = await MlWorkflow.Workflow.Create(Seed)
            .Load(DataSource.Csv(DataFile))
            .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity"))
            .Label("price")
            .Train(Trainers.Regression.FastForest(trees: 100))
            .Track(client, "serving-benchmark", options: new WorkflowTrackingOptions { LogPlots = false })
            .RunAsync(cancellationToken))
        {
            modelUri = trained.Tracking!.ModelUri!;
        }

        FigureReport.Note($"  trained and logged in {watch.Elapsed.TotalSeconds:F1} s");
        var version = await client.Registry.RegisterModelAsync(modelUri, "Diamonds", cancellationToken: cancellationToken);
        await client.Registry.TransitionStageAsync("Diamonds", version.Version, ModelVersionStage.Production, cancellationToken: cancellationToken);

        var rows = ReadRows();
        await using var server = await ModelServer.StartAsync(
            new ModelServerOptions { ModelUri = "models:/Diamonds/Production", Client = client, Port = 0, LoggerFactory = NullLoggerFactory.Instance },
            cancellationToken);
        FigureReport.Note($"  serving version {server.ModelVersion} on {server.Uri}");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false, AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { BaseAddress = server.Uri };

        var single = Enumerable.Range(0, 256).Select(i => Payload(rows, i * 97 % rows.Count, 1)).ToArray();
        var singleRun = await LoadAsync(http, single, cancellationToken);
        var rssSingle = Rss();
        report.Add("serve_rps_single_c32", singleRun.Requests / Measure.TotalSeconds);
        report.Add("serve_p50_ms", singleRun.Percentile(0.50));
        report.Add("serve_p99_ms", singleRun.Percentile(0.99));

        var batches = Enumerable.Range(0, 64).Select(i => Payload(rows, i * 811 % (rows.Count - 100), 100)).ToArray();
        var batchRun = await LoadAsync(http, batches, cancellationToken);
        var rssBatch = Rss();
        report.Add("serve_rows_per_s_batch100", batchRun.Requests * 100 / Measure.TotalSeconds);
        report.Add("serve_batch100_p99_ms", batchRun.Percentile(0.99));
        report.Add("serve_failed_requests", singleRun.Failures + batchRun.Failures);
        report.Add("serve_rss_mb", Math.Max(rssSingle, rssBatch));

        var model = await client.LoadMlnetModelAsync(modelUri, cancellationToken: cancellationToken);
        report.Add("predict_direct_us_per_row", DirectSingleRow(model, rows));
        report.Add("predict_direct_batch100_us_per_row", DirectBatch(model, rows));
    }

    /// <summary>32 loops posting the bodies in turn: <see cref="WarmUp"/> unrecorded, then <see cref="Measure"/> recorded.</summary>
    private static async Task<LoadRun> LoadAsync(HttpClient http, byte[][] bodies, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var measureFrom = WarmUp;
        var measureTo = WarmUp + Measure;
        var loops = Enumerable.Range(0, Concurrency).Select(loop => Task.Run(
            async () =>
            {
                var latencies = new List<long>(1 << 16);
                var failures = 0;
                var next = loop;
                var invocations = new Uri("invocations", UriKind.Relative);
                while (clock.Elapsed < measureTo && !cancellationToken.IsCancellationRequested)
                {
                    var content = new ByteArrayContent(bodies[next++ % bodies.Length]);
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    var start = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsync(invocations, content, cancellationToken).ConfigureAwait(false);
                    await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                    var end = Stopwatch.GetTimestamp();
                    var at = clock.Elapsed;
                    if (at < measureFrom || at >= measureTo)
                    {
                        continue;
                    }

                    latencies.Add(end - start);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures++;
                    }
                }

                return (latencies, failures);
            },
            cancellationToken)).ToArray();
        var results = await Task.WhenAll(loops);
        var all = results.SelectMany(r => r.latencies).ToArray();
        Array.Sort(all);
        return new LoadRun(all, results.Sum(r => r.failures));
    }

    /// <summary>One prediction at a time through a reused ML.NET prediction engine: the least a single-row request can cost.</summary>
    private static double DirectSingleRow(MlnetModel model, List<Diamond> rows)
    {
        var engine = model.MLContext.Model.CreatePredictionEngine<Diamond, PricePrediction>(model.Transformer);
        var sink = 0f;
        for (var i = 0; i < 2_000; i++)
        {
            sink += engine.Predict(rows[i % rows.Count]).Score;
        }

        const int Count = 20_000;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++)
        {
            sink += engine.Predict(rows[i % rows.Count]).Score;
        }

        GC.KeepAlive(sink);
        return watch.Elapsed.TotalMicroseconds / Count;
    }

    /// <summary>100 rows at a time through <c>MlnetModel.Predict</c> (a data view and a cursor per batch, as the server does).</summary>
    private static double DirectBatch(MlnetModel model, List<Diamond> rows)
    {
        const int Batches = 500;
        var sink = 0f;
        var watch = new Stopwatch();
        for (var b = -50; b < Batches; b++)
        {
            if (b == 0)
            {
                watch.Start();
            }

            var start = Math.Abs(b) * 100 % (rows.Count - 100);
            sink += model.Predict<Diamond, PricePrediction>(rows.GetRange(start, 100))[0].Score;
        }

        GC.KeepAlive(sink);
        return watch.Elapsed.TotalMicroseconds / (Batches * 100.0);
    }

    private static double Rss()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>A <c>dataframe_split</c> body of <paramref name="count"/> rows from <paramref name="start"/>, the label left out.</summary>
    private static byte[] Payload(List<Diamond> rows, int start, int count)
    {
        var text = new StringBuilder("""{"dataframe_split": {"columns": ["carat", "cut", "color", "clarity", "depth", "table", "x", "y", "z"], "data": [""");
        for (var i = 0; i < count; i++)
        {
            var r = rows[(start + i) % rows.Count];
            text.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"""[{r.carat}, "{r.cut}", "{r.color}", "{r.clarity}", {r.depth}, {r.table}, {r.x}, {r.y}, {r.z}]""");
        }

        return Encoding.UTF8.GetBytes(text.Append("]}}").ToString());
    }

    private static List<Diamond> ReadRows() =>
        File.ReadLines(DataFile).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            static float N(string s) => float.Parse(s, CultureInfo.InvariantCulture);
            return new Diamond { carat = N(f[0]), cut = f[1].Trim('"'), color = f[2].Trim('"'), clarity = f[3].Trim('"'), depth = N(f[4]), table = N(f[5]), x = N(f[7]), y = N(f[8]), z = N(f[9]) };
        }).ToList();

    private sealed record LoadRun(long[] SortedTicks, int Failures)
    {
        public long Requests => SortedTicks.Length;

        public double Percentile(double p) => SortedTicks.Length == 0 ? double.NaN : SortedTicks[Math.Min(SortedTicks.Length - 1, (int)(p * SortedTicks.Length))] * 1000.0 / Stopwatch.Frequency;
    }

#pragma warning disable IDE1006, SA1300 // Column names as diamonds.csv writes them.
    private sealed class Diamond
    {
        public float carat { get; set; }

        public string cut { get; set; } = string.Empty;

        public string color { get; set; } = string.Empty;

        public string clarity { get; set; } = string.Empty;

        public float depth { get; set; }

        public float table { get; set; }

        public float x { get; set; }

        public float y { get; set; }

        public float z { get; set; }
    }

    private sealed class PricePrediction
    {
        public float Score { get; set; }
    }
#pragma warning restore IDE1006, SA1300
}
