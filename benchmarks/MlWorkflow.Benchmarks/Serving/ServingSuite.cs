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
using MlWorkflow.Serving.Protocol;
using MlWorkflow.Serving.Scoring;
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

    private readonly bool _directOnly;
    private readonly bool _batchOnly;

    /// <summary>
    /// The whole suite; with <paramref name="directOnly"/> (suite <c>serving-direct</c>) only the direct costs, no HTTP load;
    /// with <paramref name="batchOnly"/> (suite <c>serving-batch</c>) only the 100-row <c>wrk</c> loads, to compare changes quickly.
    /// </summary>
    public ServingSuite(bool directOnly = false, bool batchOnly = false) => (_directOnly, _batchOnly) = (directOnly, batchOnly);

    public string Name => _directOnly ? "serving-direct" : _batchOnly ? "serving-batch" : "serving";

    public string Description => _directOnly ? "the serving suite's model and its direct costs per row (read, featurize, trees, write; the general reader beside), no HTTP"
        : _batchOnly ? "the serving suite's 100-row wrk loads alone (plain bodies read in one pass, then the same rows through the general reader), 2 s warm-up of each, then 10 s each, about 40 s"
        : "ModelServer scoring a 100-tree FastForest on diamonds: 32 concurrent loops, then wrk (-t1 -c32), single-row and 100-row dataframe_split, 2 s warm-up + 10 s each; 100-row wrk loads through the general reader and on ML.NET's evaluation; 10 Production moves under load";

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
        if (_directOnly)
        {
            var direct = await client.LoadMlnetModelAsync(modelUri, cancellationToken: cancellationToken);
            report.Add("predict_direct_us_per_row", DirectSingleRow(direct, rows));
            DirectBreakdown(report, direct, Enumerable.Range(0, 64).Select(i => Payload(rows, i * 811 % (rows.Count - 100), 100)).ToArray());
            await BatchAsync(report, direct, cancellationToken);
            return;
        }

        await using var server = await ModelServer.StartAsync(
            new ModelServerOptions { ModelUri = "models:/Diamonds/Production", Client = client, Port = 0, LoggerFactory = NullLoggerFactory.Instance },
            cancellationToken);
        FigureReport.Note($"  serving version {server.ModelVersion} on {server.Uri}");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false, AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { BaseAddress = server.Uri };

        var single = Enumerable.Range(0, 256).Select(i => Payload(rows, i * 97 % rows.Count, 1)).ToArray();
        var batches = Enumerable.Range(0, 64).Select(i => Payload(rows, i * 811 % (rows.Count - 100), 100)).ToArray();
        if (_batchOnly)
        {
            if (await WrkLoad.FindOrInstallAsync(cancellationToken) is not { } batchWrk)
            {
                throw new InvalidOperationException("serving-batch needs wrk (apt-get install -y wrk).");
            }

            await WrkBatchAsync(report, batchWrk, server.Uri, batches, cancellationToken);
            return;
        }

        var singleRun = await LoadAsync(http, single, cancellationToken);
        var rssSingle = Rss();
        report.Add("serve_rps_single_c32", singleRun.Requests / Measure.TotalSeconds);
        report.Add("serve_p50_ms", singleRun.Percentile(0.50));
        report.Add("serve_p99_ms", singleRun.Percentile(0.99));

        var batchRun = await LoadAsync(http, batches, cancellationToken);
        var rssBatch = Rss();
        report.Add("serve_rows_per_s_batch100", batchRun.Requests * 100 / Measure.TotalSeconds);
        report.Add("serve_batch100_p99_ms", batchRun.Percentile(0.99));
        report.Add("serve_failed_requests", singleRun.Failures + batchRun.Failures);
        report.Add("serve_rss_mb", Math.Max(rssSingle, rssBatch));

        if (await WrkLoad.FindOrInstallAsync(cancellationToken) is { } wrk)
        {
            // Warm-up, then the recorded runs: wrk's client costs far less CPU than the .NET loops above.
            await WrkLoad.RunAsync(wrk, server.Uri, single, report.WorkDirectory, 2, cancellationToken);
            var wrkSingle = await WrkLoad.RunAsync(wrk, server.Uri, single, report.WorkDirectory, (int)Measure.TotalSeconds, cancellationToken);
            report.Add("wrk_serve_rps_single_c32", wrkSingle.RequestsPerSecond);
            report.Add("wrk_serve_p50_ms", wrkSingle.P50Ms);
            report.Add("wrk_serve_p99_ms", wrkSingle.P99Ms);
            var batchFailures = await WrkBatchAsync(report, wrk, server.Uri, batches, cancellationToken);
            report.Add("wrk_serve_failed_requests", wrkSingle.Failures + batchFailures);

            // The same 100-row load on ML.NET's own evaluation: what the flat tree evaluator changes.
            await using var mlnet = await ModelServer.StartAsync(
                new ModelServerOptions { ModelUri = "models:/Diamonds/Production", Client = client, Port = 0, LoggerFactory = NullLoggerFactory.Instance, UseTreeEvaluator = false },
                cancellationToken);
            await WrkLoad.RunAsync(wrk, mlnet.Uri, batches, report.WorkDirectory, 2, cancellationToken);
            var mlnetBatch = await WrkLoad.RunAsync(wrk, mlnet.Uri, batches, report.WorkDirectory, (int)Measure.TotalSeconds, cancellationToken);
            report.Add("wrk_serve_rows_per_s_batch100_mlnet", mlnetBatch.RequestsPerSecond * 100);
            report.Add("wrk_serve_batch100_p99_ms_mlnet", mlnetBatch.P99Ms);
        }

        await SwapUnderLoadAsync(report, client, single, cancellationToken);

        var model = await client.LoadMlnetModelAsync(modelUri, cancellationToken: cancellationToken);
        report.Add("predict_direct_us_per_row", DirectSingleRow(model, rows));
        report.Add("predict_direct_batch100_us_per_row", DirectBatch(model, rows));
        DirectBreakdown(report, model, batches);
        await BatchAsync(report, model, cancellationToken);
    }

    /// <summary>
    /// The 100-row wrk loads: the plain bodies (read in one pass into typed columns), then the same rows with an empty
    /// <c>params</c> object, which sends them through the general reader (a JSON document, cells, conversion): the one-pass
    /// read's effect under one load. Returns the failed requests of both.
    /// </summary>
    private static async Task<long> WrkBatchAsync(FigureReport report, string wrk, Uri server, byte[][] batches, CancellationToken cancellationToken)
    {
        // Both readers warmed the same way (2 s each) before either is measured.
        var general = batches.Select(b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b)[..^1] + ", \"params\": {}}")).ToArray();
        await WrkLoad.RunAsync(wrk, server, batches, report.WorkDirectory, 2, cancellationToken);
        await WrkLoad.RunAsync(wrk, server, general, report.WorkDirectory, 2, cancellationToken);
        var plain = await WrkLoad.RunAsync(wrk, server, batches, report.WorkDirectory, (int)Measure.TotalSeconds, cancellationToken);
        report.Add("wrk_serve_rows_per_s_batch100", plain.RequestsPerSecond * 100);
        report.Add("wrk_serve_batch100_p99_ms", plain.P99Ms);
        var generalRun = await WrkLoad.RunAsync(wrk, server, general, report.WorkDirectory, (int)Measure.TotalSeconds, cancellationToken);
        report.Add("wrk_serve_rows_per_s_batch100_general_reader", generalRun.RequestsPerSecond * 100);
        return plain.Failures + generalRun.Failures;
    }

    /// <summary>
    /// Batch scoring of all of diamonds.csv (53,940 rows) into Parquet through <c>BatchScoring.ScoreAsync</c>, with the flat
    /// tree evaluator and with ML.NET's evaluation, each the best of 3 after a warm-up; rows per second of the whole job
    /// (CSV read and checked, scored, Parquet written).
    /// </summary>
    private static async Task BatchAsync(FigureReport report, MlnetModel model, CancellationToken cancellationToken)
    {
        foreach (var trees in new[] { true, false })
        {
            var best = double.MaxValue;
            for (var run = 0; run < 4; run++)
            {
                var output = Path.Combine(report.WorkDirectory, "batch-scored.parquet");
                var watch = Stopwatch.StartNew();
                var result = await MlWorkflow.Serving.Batch.BatchScoring.ScoreAsync(model, DataSource.Csv(DataFile), output, new MlWorkflow.Serving.Batch.BatchScoringOptions { UseTreeEvaluator = trees }, cancellationToken: cancellationToken);
                if (run > 0)
                {
                    best = Math.Min(best, watch.Elapsed.TotalSeconds / result.Rows);
                }
            }

            report.Add(trees ? "batch_rows_per_s" : "batch_rows_per_s_mlnet", 1 / best);
        }
    }

    /// <summary>
    /// Where a 100-row request's time goes without HTTP, per row, each the median of 400 rounds (medians, because other
    /// processes on a shared machine inflate some rounds many times): the whole request as the server handles a plain
    /// <c>dataframe_split</c> (read in one pass into typed columns, featurized, trees walked, JSON written), and its parts:
    /// the one-pass read, ML.NET's featurizing transforms (vectors laid out densely), the trees alone (the flat evaluator on
    /// ready feature vectors), writing the 100 predictions; and the general path beside it (a JSON document parsed into
    /// cells, then cells converted, a data view built, featurized, trees walked, JSON written).
    /// </summary>
    private static void DirectBreakdown(FigureReport report, MlnetModel model, byte[][] bodies)
    {
        var scoring = new ScoringModel(model);
        report.Add("direct_tree_evaluator", scoring.UsesTreeEvaluator ? 1 : 0);
        report.Add("direct_tree_evaluator_avx2", TreeEnsembleEvaluator.IsVectorized ? 1 : 0);
        const int Rounds = 400;
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var parse = new List<long>();
        var score = new List<long>();
        var request = new List<long>();
        var read = new List<long>();
        var convert = new List<long>();
        var featurize = new List<long>();
        var trees = new List<long>();
        var write = new List<long>();
        for (var round = -40; round < Rounds; round++)
        {
            var body = bodies[(round + 40) % bodies.Length];
            var start = Stopwatch.GetTimestamp();
            using var parsedRequest = JsonRequestParser.Parse(body, scoring.InputNames, scoring.SchemaText);
            var parsed = Stopwatch.GetTimestamp();
            output.ResetWrittenCount();
            using (var writer = new System.Text.Json.Utf8JsonWriter(output))
            {
                scoring.Score(parsedRequest.Table, null, writer);
            }

            var generalDone = Stopwatch.GetTimestamp();
            output.ResetWrittenCount();
            using (var writer = new System.Text.Json.Utf8JsonWriter(output))
            {
                if (!scoring.TryScoreDataframeSplit(body, writer, out _))
                {
                    throw new InvalidOperationException("The benchmark's dataframe_split body did not take the one-pass read.");
                }
            }

            var scored = Stopwatch.GetTimestamp();
            var columns = DataframeSplitReader.TryRead(body, scoring.Inputs, out var rows)!;
            var readDone = Stopwatch.GetTimestamp();
            _ = scoring.Inputs.Select(c => c.Convert(parsedRequest.Table.Column(c.Name)!)).ToArray();
            var converted = Stopwatch.GetTimestamp();
            if (round >= 0)
            {
                request.Add(scored - generalDone);
                parse.Add(parsed - start);
                score.Add(generalDone - parsed);
                read.Add(readDone - scored);
                convert.Add(converted - readDone);
            }

            if (scoring.TreePath is { } path)
            {
                var view = new ColumnarDataView(scoring.InputSchema, columns, rows);
                var features = new float[rows * path.Stride];
                var predictions = new double[rows];
                var before = Stopwatch.GetTimestamp();
                path.Featurize(view, features, CancellationToken.None);
                var featurized = Stopwatch.GetTimestamp();
                path.Evaluator.Predict(features, path.Stride, predictions);
                var walked = Stopwatch.GetTimestamp();
                output.ResetWrittenCount();
                using (var writer = new System.Text.Json.Utf8JsonWriter(output))
                {
                    writer.WriteStartArray();
                    foreach (var p in predictions)
                    {
                        writer.WriteNumberValue((float)p);
                    }

                    writer.WriteEndArray();
                }

                var written = Stopwatch.GetTimestamp();
                if (round >= 0)
                {
                    featurize.Add(featurized - before);
                    trees.Add(walked - featurized);
                    write.Add(written - walked);
                }
            }
        }

        static double PerRow(List<long> ticks)
        {
            if (ticks.Count == 0)
            {
                return double.NaN;
            }

            ticks.Sort();
            return ticks[ticks.Count / 2] * 1e6 / Stopwatch.Frequency / 100.0;
        }

        report.Add("direct_request_us_per_row_batch100", PerRow(request));
        report.Add("direct_read_us_per_row_batch100", PerRow(read));
        report.Add("direct_featurize_us_per_row_batch100", PerRow(featurize));
        report.Add("direct_trees_us_per_row_batch100", PerRow(trees));
        report.Add("direct_write_us_per_row_batch100", PerRow(write));
        report.Add("direct_parse_us_per_row_batch100", PerRow(parse));
        report.Add("direct_score_us_per_row_batch100", PerRow(score));
        report.Add("direct_convert_us_per_row_batch100", PerRow(convert));
    }

    /// <summary>32 loops posting the bodies in turn: <see cref="WarmUp"/> unrecorded, then <see cref="Measure"/> recorded.</summary>
    private static Task<LoadRun> LoadAsync(HttpClient http, byte[][] bodies, CancellationToken cancellationToken) =>
        LoadAsync(http, bodies, WarmUp, Measure, CancellationToken.None, cancellationToken);

    /// <summary>32 loops posting the bodies in turn: <paramref name="warmUp"/> unrecorded, then recorded until <paramref name="measure"/> has passed or <paramref name="stop"/> is cancelled.</summary>
    private static async Task<LoadRun> LoadAsync(HttpClient http, byte[][] bodies, TimeSpan warmUp, TimeSpan measure, CancellationToken stop, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var measureFrom = warmUp;
        var measureTo = warmUp + measure;
        var loops = Enumerable.Range(0, Concurrency).Select(loop => Task.Run(
            async () =>
            {
                var latencies = new List<long>(1 << 16);
                var failures = 0;
                var next = loop;
                var invocations = new Uri("invocations", UriKind.Relative);
                while (clock.Elapsed < measureTo && !stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    var content = new ByteArrayContent(bodies[next++ % bodies.Length]);
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    var start = Stopwatch.GetTimestamp();
                    bool ok;
                    try
                    {
                        using var response = await http.PostAsync(invocations, content, cancellationToken).ConfigureAwait(false);
                        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                        ok = response.StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        ok = false; // a refused or broken connection is a failed request too
                    }

                    var end = Stopwatch.GetTimestamp();
                    var at = clock.Elapsed;
                    if (at < measureFrom || at >= measureTo)
                    {
                        continue;
                    }

                    latencies.Add(end - start);
                    if (!ok)
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

    /// <summary>
    /// <c>serve_swap_failed_requests</c>: single-row load on a server following <c>models:/Diamonds/Production</c> every
    /// 250 ms while Production moves between version 1 and a second version 10 times, each move awaited until the server
    /// answers with it.
    /// </summary>
    private static async Task SwapUnderLoadAsync(FigureReport report, MlflowClient client, byte[][] bodies, CancellationToken cancellationToken)
    {
        string secondUri;
        using (var second = await MlWorkflow.Workflow.Create(Seed + 1)
            .Load(DataSource.Csv(DataFile))
            .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity"))
            .Label("price")
            .Train(Trainers.Regression.FastForest(trees: 20))
            .Track(client, "serving-benchmark", options: new WorkflowTrackingOptions { LogPlots = false })
            .RunAsync(cancellationToken))
        {
            secondUri = second.Tracking!.ModelUri!;
        }

        var v2 = await client.Registry.RegisterModelAsync(secondUri, "Diamonds", cancellationToken: cancellationToken);
        await using var server = await ModelServer.StartAsync(
            new ModelServerOptions { ModelUri = "models:/Diamonds/Production", Client = client, Port = 0, RegistryPollInterval = TimeSpan.FromMilliseconds(250), LoggerFactory = NullLoggerFactory.Instance },
            cancellationToken);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Uri };
        using var stop = new CancellationTokenSource();
        var load = LoadAsync(http, bodies, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120), stop.Token, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var first = server.ModelVersion!.Value;
        var swaps = 0;
        var watch = Stopwatch.StartNew();
        for (var move = 0; move < 10; move++)
        {
            var target = move % 2 == 0 ? v2.Version : first;
            await client.Registry.TransitionStageAsync("Diamonds", target, ModelVersionStage.Production, archiveExistingVersions: true, cancellationToken);
            var deadline = Stopwatch.StartNew();
            while (server.ModelVersion != target && deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(20, cancellationToken);
            }

            swaps += server.ModelVersion == target ? 1 : 0;
        }

        await stop.CancelAsync();
        var run = await load;
        FigureReport.Note($"  {swaps} swaps seen in {watch.Elapsed.TotalSeconds:F1} s under load");
        report.Add("serve_swap_failed_requests", run.Failures);
        report.Add("serve_swap_requests", run.Requests);
        report.Add("serve_swaps_seen", swaps);
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
