using System.Text;
using MlWorkflow.Server.Tests.Faults;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Tests.Server;

/// <summary>A write retried with the same <c>Idempotency-Key</c> after the server restarted on the same store is not applied twice (issue 10.3).</summary>
[TestFixture]
public sealed class IdempotencyRestartTests
{
    private const string Key = "retry-of-batch-1";

    private TemporaryDirectory _directory = null!;

    private string Root => _directory.Combine("mlruns");

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task A_batch_applied_before_a_restart_is_answered_again_not_applied_again()
    {
        var runId = await CreateRunAsync();
        var body = Batch(runId, 3);
        await using (var first = await StartAsync(new FileTrackingStore(Root)))
        {
            using var response = await PostAsync(first, body, Key);
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
        }

        await using var restarted = await StartAsync(new FileTrackingStore(Root));
        using var retry = await PostAsync(restarted, body, Key);

        Assert.That((int)retry.StatusCode, Is.EqualTo(200));
        Assert.That(retry.Headers.Contains("Idempotent-Replayed"), Is.True);
        Assert.That(await StepsAsync(runId), Is.EqualTo(new long[] { 0, 1, 2 }));
    }

    [Test]
    public async Task A_batch_cut_short_by_a_dead_server_is_completed_by_the_retry_without_duplicates()
    {
        var runId = await CreateRunAsync();
        var body = Batch(runId, 4);
        var stalled = new StalledLogBatchStore(new FileTrackingStore(Root), metricsWritten: 2);
        await using var dying = await StartAsync(stalled, journalDirectory: Root);
        var lost = PostAsync(dying, body, Key);
        await stalled.Stalled;

        // The first server never answers (as if killed after writing half the batch); the client retries on a new one.
        await using var restarted = await StartAsync(new FileTrackingStore(Root));
        using var retry = await PostAsync(restarted, body, Key);
        var steps = await StepsAsync(runId);
        stalled.Release();
        (await lost).Dispose();

        Assert.That((int)retry.StatusCode, Is.EqualTo(200));
        Assert.That(steps, Is.EqualTo(new long[] { 0, 1, 2, 3 }), "each point exactly once: the two written before the stop, the two the retry added");
    }

    [Test]
    public async Task Without_the_journal_a_restart_forgets_the_keys()
    {
        var runId = await CreateRunAsync();
        var body = Batch(runId, 1);
        await using (var first = await StartAsync(new FileTrackingStore(Root), persist: false))
        {
            (await PostAsync(first, body, Key)).Dispose();
        }

        await using var restarted = await StartAsync(new FileTrackingStore(Root), persist: false);
        (await PostAsync(restarted, body, Key)).Dispose();

        Assert.That(await StepsAsync(runId), Is.EqualTo(new long[] { 0, 0 }), "PersistIdempotencyKeys = false keeps keys in memory only");
        Assert.That(Directory.EnumerateFiles(Root, ".idempotency-*"), Is.Empty);
    }

    private static Task<TrackingServer> StartAsync(ITrackingStore store, string? journalDirectory = null, bool persist = true) =>
        TrackingServer.StartAsync(new TrackingServerOptions { Store = store, Port = 0, IdempotencyJournalDirectory = journalDirectory, PersistIdempotencyKeys = persist });

    private static async Task<HttpResponseMessage> PostAsync(TrackingServer server, string json, string key)
    {
        using var http = new HttpClient { BaseAddress = server.Uri };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/runs/log-batch") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return await http.SendAsync(request);
    }

    private static string Batch(string runId, int points) =>
        $"{{\"run_id\": \"{runId}\", \"metrics\": [{string.Join(", ", Enumerable.Range(0, points).Select(i => $"{{\"key\": \"loss\", \"value\": {i}.5, \"timestamp\": {1_700_000_000_000 + i}, \"step\": {i}}}"))}]}}";

    private async Task<string> CreateRunAsync()
    {
        var store = new FileTrackingStore(Root);
        var experimentId = await store.CreateExperimentAsync("restart");
        return (await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = 1_700_000_000_000 })).Info.RunId;
    }

    private async Task<long[]> StepsAsync(string runId) =>
        [.. (await new FileTrackingStore(Root).GetMetricHistoryAsync(runId, "loss")).Items.Select(m => m.Step).Order()];
}
