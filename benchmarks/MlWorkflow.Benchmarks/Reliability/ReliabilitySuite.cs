using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Tracking;

namespace MlWorkflow.Benchmarks.Reliability;

/// <summary>
/// Issue 10's figures, bounded in time and count, on 127.0.0.1 only: hostile requests to a server process (no 5xx, bounded
/// memory), 32 clients logging through 3 kills and restarts of the server process (each acknowledged step stored exactly
/// once, compared as step sets), file-store writer processes killed at random moments (no acknowledged point lost), and a
/// torn last line in a metric file (the next points are not lost).
/// </summary>
internal sealed class ReliabilitySuite : IBenchmarkSuite
{
    private const int Clients = 32;
    private const int Cycles = 3;
    private const int PointsPerBatch = 50;
    private const int MaxBatchesPerClient = 400;
    private const int WriterKills = 6;
    private const int HugeBytes = 30 * 1024 * 1024;
    private static readonly TimeSpan LoadBetweenKills = TimeSpan.FromSeconds(3);

    public string Name => "reliability";

    public string Description => "issue 10: hostile requests (5xx, server RSS), 32 clients through 3 server kill/restarts (lost/duplicated steps), killed writers, torn writes";

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        await HostileAsync(report, cancellationToken);
        await ServerRestartsAsync(report, cancellationToken);
        await KilledWritersAsync(report, cancellationToken);
        await TornWriteAsync(report, cancellationToken);
    }

    private static async Task HostileAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var root = Path.Combine(report.WorkDirectory, "hostile");
        var port = FreePort();
        var server = ChildProcess.Start(ChildModes.Server, root, port.ToString(CultureInfo.InvariantCulture));
        try
        {
            var uri = await WaitListeningAsync(server, cancellationToken);
            using var http = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromMinutes(1) };
            var store = new FileTrackingStore(root);
            var experimentId = await store.CreateExperimentAsync("hostile", cancellationToken: cancellationToken);
            var runId = (await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId }, cancellationToken)).Info.RunId;
            var huge = new string('x', HugeBytes);
            var artifacts = $"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts";
            var cases = new List<Func<Task<int>>>
            {
                () => Post(http, "runs/search", $"{{\"experiment_ids\": [\"0\"], \"page_token\": \"{huge}\"}}"),
                () => Post(http, "runs/search", $"{{\"experiment_ids\": [\"0\"], \"filter\": \"metrics.{huge} > 1 and and\"}}"),
                () => Post(http, "runs/update", $"{{\"run_id\": \"{huge}\"}}"),
                () => Post(http, "experiments/search", $"{{\"max_results\": 5, \"page_token\": \"{huge}\"}}"),
                () => Post(http, "experiments/create", "{\"name\": 5}"),
                () => Post(http, "runs/log-batch", "[1, 2]"),
                () => Post(http, "runs/log-batch", "{\"run_id\": "),
                () => Post(http, "runs/log-batch", $"{{\"run_id\": \"{runId}\", \"metrics\": [{{\"key\": \"{new string('é', 130)}\", \"value\": 1, \"timestamp\": 1}}]}}"),
                () => Post(http, "runs/log-parameter", $"{{\"run_id\": \"{runId}\", \"key\": \"{new string('ü', 200)}\", \"value\": \"v\"}}"),
                () => Post(http, "experiments/delete", "{\"experiment_id\": \"0\"}"),
                () => Put(http, $"{artifacts}/{new string('a', 230)}"),
                () => Put(http, $"{artifacts}/f.txt/child"),
                () => Send(http, HttpMethod.Get, "/health", "rebinding.attacker.example"),
                () => Post(http, "runs/log-batch", Encoding.Latin1.GetString(RandomNumberGenerator(4096))),
                () => Send(http, HttpMethod.Get, $"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=%00", null),
            };
            await Put(http, $"{artifacts}/f.txt");

            var requests = 0;
            var failures = 0;
            const int Rounds = 4;
            for (var round = 0; round < Rounds; round++)
            {
                // Four of each at once: the load that once took the server to 7.7 GB.
                var statuses = await Task.WhenAll(cases.SelectMany(c => Enumerable.Range(0, 4).Select(_ => c())));
                requests += statuses.Length;
                failures += statuses.Count(s => s >= 500);
            }

            // Let the server's GC settle before reading its memory.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            report.Add("hostile_requests", requests);
            report.Add("hostile_5xx", failures);
            report.Add("server_rss_mb_after_hostile", ChildProcess.ResidentMegabytes(server));
        }
        finally
        {
            await ChildProcess.KillAsync(server);
        }
    }

    private static async Task ServerRestartsAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var root = Path.Combine(report.WorkDirectory, "restarts");
        var store = new FileTrackingStore(root);
        var experimentId = await store.CreateExperimentAsync("restarts", cancellationToken: cancellationToken);
        var runId = (await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId }, cancellationToken)).Info.RunId;
        var port = FreePort();
        var server = ChildProcess.Start(ChildModes.Server, root, port.ToString(CultureInfo.InvariantCulture));
        var uri = await WaitListeningAsync(server, cancellationToken);

        var acknowledged = new ConcurrentDictionary<int, List<long>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(() => ClientAsync(uri, runId, c, acknowledged.GetOrAdd(c, _ => []), stop.Token), CancellationToken.None)).ToArray();
        try
        {
            for (var cycle = 0; cycle < Cycles; cycle++)
            {
                await Task.Delay(LoadBetweenKills, cancellationToken);
                FigureReport.Note($"  killing the server ({cycle + 1}/{Cycles}) under load");
                await ChildProcess.KillAsync(server);
                server = ChildProcess.Start(ChildModes.Server, root, port.ToString(CultureInfo.InvariantCulture));
                await WaitListeningAsync(server, cancellationToken);
            }

            await Task.Delay(LoadBetweenKills, cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
            await ChildProcess.KillAsync(server);
        }

        long duplicated = 0;
        long lost = 0;
        long acked = 0;
        foreach (var (client, steps) in acknowledged)
        {
            var stored = (await store.GetMetricHistoryAsync(runId, "c" + client, cancellationToken: cancellationToken)).Items.Select(m => m.Step).ToList();
            var distinct = stored.ToHashSet();
            duplicated += stored.Count - distinct.Count;
            lost += steps.Count(s => !distinct.Contains(s));
            acked += steps.Count;
        }

        report.Add("server_restart_acked_points", acked);
        report.Add("server_restart_duplicated_points", duplicated);
        report.Add("server_restart_lost_points", lost);
    }

    /// <summary>One client: batches of consecutive steps of its own key, retried by the REST store through the restarts; records the steps of acknowledged batches.</summary>
    private static async Task ClientAsync(Uri uri, string runId, int client, List<long> acknowledged, CancellationToken cancellationToken)
    {
        var options = RestStoreOptions.FromEnvironment(_ => null);
        options.MaxRetries = RestStoreOptions.MaxRetriesLimit;
        options.BackoffFactor = TimeSpan.FromMilliseconds(200);
        options.MaxBackoff = TimeSpan.FromSeconds(2);
        using var store = new RestTrackingStore(uri, options);
        long step = 0;
        for (var b = 0; b < MaxBatchesPerClient && !cancellationToken.IsCancellationRequested; b++)
        {
            var batch = Enumerable.Range(0, PointsPerBatch).Select(i => new Metric("c" + client, step + i, 1_700_000_000_000 + step + i, step + i)).ToArray();
            try
            {
                // Not cancelled by the stop: a batch under way finishes (or fails), so that its acknowledgement is exact.
                await store.LogBatchAsync(runId, batch, [], [], CancellationToken.None);
                acknowledged.AddRange(batch.Select(m => m.Step));
            }
            catch (MlflowException)
            {
                // Not acknowledged: its steps may or may not be stored; only duplicates of them would count.
            }

            step += PointsPerBatch;
        }
    }

    private static async Task KilledWritersAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var root = Path.Combine(report.WorkDirectory, "writers");
        var store = new FileTrackingStore(root);
        var experimentId = await store.CreateExperimentAsync("writers", cancellationToken: cancellationToken);
        var runId = (await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId }, cancellationToken)).Info.RunId;
        var random = new Random(11);
        var acknowledged = new List<long>();
        for (var kill = 0; kill < WriterKills; kill++)
        {
            var first = kill * 10_000_000L;
            var writer = ChildProcess.Start(ChildModes.Writer, root, runId, "w", first.ToString(CultureInfo.InvariantCulture));
            var lines = new ConcurrentQueue<long>();
            writer.OutputDataReceived += (_, e) =>
            {
                if (long.TryParse(e.Data, NumberStyles.Integer, CultureInfo.InvariantCulture, out var last))
                {
                    lines.Enqueue(last);
                }
            };
            writer.BeginOutputReadLine();
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(800, 2500)), cancellationToken);
            await ChildProcess.KillAsync(writer);
            writer.WaitForExit();
            foreach (var last in lines)
            {
                acknowledged.AddRange(Enumerable.Range(0, 10).Select(i => last - 9 + i));
            }
        }

        var stored = (await store.GetMetricHistoryAsync(runId, "w", cancellationToken: cancellationToken)).Items.Select(m => m.Step).ToHashSet();
        report.Add("crash_acked_points", acknowledged.Count);
        report.Add("crash_lost_points", acknowledged.Count(s => !stored.Contains(s)));
    }

    private static async Task TornWriteAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var root = Path.Combine(report.WorkDirectory, "torn");
        var store = new FileTrackingStore(root);
        var experimentId = await store.CreateExperimentAsync("torn", cancellationToken: cancellationToken);
        var runId = (await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId }, cancellationToken)).Info.RunId;
        var lost = 0L;
        for (var t = 0; t < 10; t++)
        {
            var key = "torn" + t.ToString(CultureInfo.InvariantCulture);
            // A short write: the last line of the file stops mid-record, without its newline.
            await File.WriteAllTextAsync(Path.Combine(root, experimentId, runId, "metrics", key), "1700000000000 0.25 7\n1700000000001 0.5 8", cancellationToken);
            await store.LogBatchAsync(runId, [new Metric(key, 0.75, 1_700_000_000_002, 9)], [], [], cancellationToken);
            var history = (await store.GetMetricHistoryAsync(runId, key, cancellationToken: cancellationToken)).Items;
            lost += history.Any(m => m.Step == 9 && m.Value == 0.75) ? 0 : 1;
        }

        report.Add("torn_write_lost_points", lost);
    }

    private static async Task<int> Post(HttpClient http, string endpoint, string json) =>
        await Send(http, HttpMethod.Post, "/api/2.0/mlflow/" + endpoint, null, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<int> Put(HttpClient http, string path) =>
        await Send(http, HttpMethod.Put, path, null, new StringContent("data", Encoding.UTF8));

    private static async Task<int> Send(HttpClient http, HttpMethod method, string path, string? host, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        try
        {
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // A connection the server dropped counts as a server failure.
            return 599;
        }
    }

    private static byte[] RandomNumberGenerator(int length)
    {
        var bytes = new byte[length];
        new Random(3).NextBytes(bytes);
        return bytes;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<Uri> WaitListeningAsync(Process server, CancellationToken cancellationToken)
    {
        while (await server.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("listening ", StringComparison.Ordinal))
            {
                return new Uri(line["listening ".Length..]);
            }
        }

        throw new InvalidOperationException("The server child process exited before listening.");
    }
}
