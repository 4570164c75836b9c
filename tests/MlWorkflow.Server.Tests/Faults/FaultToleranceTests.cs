using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Faults;

/// <summary>Logging through the REST store while the server misbehaves: nothing is lost and nothing arrives twice.</summary>
[TestFixture]
public sealed class FaultToleranceTests
{
    private const long T0 = 1_700_000_000_000;
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task With_ten_percent_of_requests_faulted_every_point_param_and_tag_arrives_exactly_once()
    {
        var fileStore = new FileTrackingStore(_directory.Combine("mlruns"));
        var faults = new FaultInjector(rate: 0.10, seed: 20261127, slowDelay: TimeSpan.FromSeconds(1.5));
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = fileStore, Port = 0, ConfigurePipeline = faults.Install });
        using var store = new RestTrackingStore(server.Uri, FastRetries.Options(maxRetries: 8, requestTimeoutSeconds: 0.5));

        var experimentId = await store.CreateExperimentAsync("faulty");
        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = T0 });
        const int batches = 150;
        const int pointsPerBatch = 40;
        for (var b = 0; b < batches; b++)
        {
            // The way ActiveRun batches: metrics of several keys, a param and a tag per call.
            var metrics = Enumerable.Range(0, pointsPerBatch).Select(i => new Metric("m" + (i % 4), (b * pointsPerBatch) + i, T0 + b, (b * pointsPerBatch) + i)).ToArray();
            var suffix = b.ToString(CultureInfo.InvariantCulture);
            await store.LogBatchAsync(run.Info.RunId, metrics, [new Param("p" + suffix, suffix)], [new RunTag("t" + suffix, suffix)]);
        }

        var stored = await fileStore.GetRunAsync(run.Info.RunId);
        var steps = new List<long>();
        for (var key = 0; key < 4; key++)
        {
            var history = await fileStore.GetMetricHistoryAsync(run.Info.RunId, "m" + key);
            steps.AddRange(history.Items.Select(m => m.Step));
            Assert.That(history.Items.All(m => m.Value == m.Step), Is.True);
        }

        Assert.That(faults.Count(FaultKind.ServiceUnavailable), Is.Positive, "no 503 was injected");
        Assert.That(faults.Count(FaultKind.TooManyRequests), Is.Positive, "no 429 was injected");
        Assert.That(faults.Count(FaultKind.DropBefore), Is.Positive, "no connection was dropped before running");
        Assert.That(faults.Count(FaultKind.DropAfter), Is.Positive, "no answer was dropped after running");
        Assert.That(faults.Count(FaultKind.SlowAfter), Is.Positive, "no slow answer was injected");
        Assert.That(faults.Replays, Is.Positive, "no applied request was replayed");
        Assert.That(steps, Has.Count.EqualTo(batches * pointsPerBatch), "points lost or doubled");
        Assert.That(steps.Order(), Is.EqualTo(Enumerable.Range(0, batches * pointsPerBatch).Select(i => (long)i)));
        Assert.That(stored.Data.Params.Select(p => p.Key), Is.EquivalentTo(Enumerable.Range(0, batches).Select(i => "p" + i.ToString(CultureInfo.InvariantCulture))));
        Assert.That(stored.Data.Tags.Where(t => t.Key.StartsWith('t')).Select(t => t.Key), Is.EquivalentTo(Enumerable.Range(0, batches).Select(i => "t" + i.ToString(CultureInfo.InvariantCulture))));
    }

    [TestCase(true, 1)]
    [TestCase(false, 2)]
    public async Task A_batch_whose_answer_is_lost_is_applied_once_with_idempotency_keys_and_twice_without(bool sendKeys, int expectedCopies)
    {
        var fileStore = new FileTrackingStore(_directory.Combine("mlruns"));
        var dropped = 0;
        var faults = new FaultInjector(
            context => context.Request.Path.Value!.EndsWith("/runs/log-batch", StringComparison.Ordinal) && Interlocked.Exchange(ref dropped, 1) == 0 ? FaultKind.DropAfter : null,
            TimeSpan.Zero);
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = fileStore, Port = 0, ConfigurePipeline = faults.Install });
        var options = FastRetries.Options();
        options.SendIdempotencyKeys = sendKeys;
        using var store = new RestTrackingStore(server.Uri, options);
        var experimentId = await store.CreateExperimentAsync("lost-answer");
        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = T0 });

        await store.LogBatchAsync(run.Info.RunId, [new Metric("loss", 0.5, T0, 0), new Metric("loss", 0.25, T0, 1)], [], []);

        var history = await fileStore.GetMetricHistoryAsync(run.Info.RunId, "loss");
        Assert.That(faults.Count(FaultKind.DropAfter), Is.EqualTo(1));
        Assert.That(history.Items, Has.Count.EqualTo(2 * expectedCopies));
    }

    [Test]
    public async Task A_retry_that_arrives_while_the_first_attempt_is_still_running_waits_for_it_and_applies_nothing()
    {
        var fileStore = new FileTrackingStore(_directory.Combine("mlruns"));
        var slow = new SlowLogBatchStore(fileStore, TimeSpan.FromSeconds(1.5));
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = slow, Port = 0 });
        using var store = new RestTrackingStore(server.Uri, FastRetries.Options(maxRetries: 8, requestTimeoutSeconds: 0.4));
        var experimentId = await store.CreateExperimentAsync("in-flight");
        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = T0 });

        await store.LogBatchAsync(run.Info.RunId, [new Metric("loss", 0.5, T0, 0), new Metric("loss", 0.25, T0, 1)], [], []);

        var history = await fileStore.GetMetricHistoryAsync(run.Info.RunId, "loss");
        Assert.That(history.Items.Select(m => m.Step), Is.EqualTo(new long[] { 0, 1 }));
    }

    [Test]
    public async Task A_run_created_twice_by_a_retry_is_one_run()
    {
        var fileStore = new FileTrackingStore(_directory.Combine("mlruns"));
        var dropped = 0;
        var faults = new FaultInjector(
            context => context.Request.Path.Value!.EndsWith("/runs/create", StringComparison.Ordinal) && Interlocked.Exchange(ref dropped, 1) == 0 ? FaultKind.DropAfter : null,
            TimeSpan.Zero);
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = fileStore, Port = 0, ConfigurePipeline = faults.Install });
        using var store = new RestTrackingStore(server.Uri, FastRetries.Options());
        var experimentId = await store.CreateExperimentAsync("once");

        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = T0 });

        var runs = await fileStore.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId] });
        Assert.That(faults.Replays, Is.EqualTo(1));
        Assert.That(runs.Items.Select(r => r.Info.RunId), Is.EqualTo(new[] { run.Info.RunId }));
    }

    [Test]
    public async Task An_unreachable_server_fails_with_a_clear_error_after_the_retry_budget()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var store = new RestTrackingStore(new Uri($"http://127.0.0.1:{port}"), FastRetries.Options(maxRetries: 2));

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.LogBatchAsync("0123456789abcdef0123456789abcdef", [new Metric("m", 1, T0)], [], []));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.TemporarilyUnavailable));
        Assert.That(error.Message, Does.Contain($"127.0.0.1:{port}").And.Contain("runs/log-batch").And.Contain("after 3 attempts"));
    }

    [Test]
    public async Task Answers_slower_than_every_attempt_fail_with_deadline_exceeded()
    {
        var fileStore = new FileTrackingStore(_directory.Combine("mlruns"));
        var faults = new FaultInjector(_ => FaultKind.SlowAfter, TimeSpan.FromSeconds(5));
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = fileStore, Port = 0, ConfigurePipeline = faults.Install });
        using var store = new RestTrackingStore(server.Uri, FastRetries.Options(maxRetries: 1, requestTimeoutSeconds: 0.2));

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync("0"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.DeadlineExceeded));
        Assert.That(error.Message, Does.Contain("timed out after 2 attempts"));
        Assert.That(faults.Requests, Is.EqualTo(2));
    }
}
