using MlWorkflow.Server.Idempotency;

namespace MlWorkflow.Server.Tests.Server;

/// <summary>The idempotency cache keeps only writes, within a byte bound (issue 10.6).</summary>
[TestFixture]
public sealed class IdempotencyCacheTests : ServerFixture
{
    [Test]
    public async Task A_search_with_an_idempotency_key_is_never_answered_from_the_cache()
    {
        var (experimentId, _) = await CreateRunAsync();
        var search = $"{{\"experiment_ids\": [\"{experimentId}\"]}}";
        var (_, first, firstResponse) = await PostAsync("/api/2.0/mlflow/runs/search", search, idempotencyKey: "same-key");
        await FileStore.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = 1_700_000_000_001 });

        var (status, second, secondResponse) = await PostAsync("/api/2.0/mlflow/runs/search", search, idempotencyKey: "same-key");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(first.GetProperty("runs").GetArrayLength(), Is.EqualTo(1));
        Assert.That(second.GetProperty("runs").GetArrayLength(), Is.EqualTo(2), "a read runs every time");
        Assert.That(secondResponse.Headers.Contains("Idempotent-Replayed"), Is.False);
        firstResponse.Dispose();
        secondResponse.Dispose();
    }

    [Test]
    public async Task A_write_with_an_idempotency_key_is_answered_from_the_cache()
    {
        var (_, runId) = await CreateRunAsync();
        var batch = $"{{\"run_id\": \"{runId}\", \"metrics\": [{{\"key\": \"m\", \"value\": 1, \"timestamp\": 1}}]}}";

        (await PostAsync("/api/2.0/mlflow/runs/log-batch", batch, idempotencyKey: "k1")).Response.Dispose();
        var (status, _, replay) = await PostAsync("/api/2.0/mlflow/runs/log-batch", batch, idempotencyKey: "k1");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(replay.Headers.Contains("Idempotent-Replayed"), Is.True);
        Assert.That((await FileStore.GetMetricHistoryAsync(runId, "m")).Items, Has.Count.EqualTo(1));
        replay.Dispose();
    }

    [Test]
    public async Task The_cache_stays_within_its_byte_bound_forgetting_the_oldest_answers()
    {
        const long MaxBytes = 64 * 1024;
        var cache = new IdempotencyCache(capacity: 1_000_000, MaxBytes, TimeSpan.FromHours(1), TimeProvider.System);
        var body = new byte[4096];
        for (var i = 0; i < 1_000; i++)
        {
            var key = i.ToString("D64", System.Globalization.CultureInfo.InvariantCulture);
            var (claim, _) = await cache.ClaimAsync(key, CancellationToken.None);
            Assert.That(claim, Is.EqualTo(IdempotencyClaim.Run));
            cache.Complete(key, new CachedResponse(200, "application/json", body));
            Assert.That(cache.Bytes, Is.LessThanOrEqualTo(MaxBytes));
        }

        var (newest, answer) = await cache.ClaimAsync(999.ToString("D64", System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        var (oldest, _) = await cache.ClaimAsync(0.ToString("D64", System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);

        Assert.That(cache.Count, Is.InRange(1, (int)(MaxBytes / body.Length)));
        Assert.That(newest, Is.EqualTo(IdempotencyClaim.Replay));
        Assert.That(answer!.Body, Has.Length.EqualTo(body.Length));
        Assert.That(oldest, Is.EqualTo(IdempotencyClaim.Run), "the oldest answer was forgotten");
    }

    [Test]
    public async Task A_failed_write_is_retried_as_of_unknown_outcome()
    {
        var cache = new IdempotencyCache(10, 1024 * 1024, TimeSpan.FromHours(1), TimeProvider.System);
        var key = new string('a', 64);
        await cache.ClaimAsync(key, CancellationToken.None);
        cache.Complete(key, null);

        var (retry, _) = await cache.ClaimAsync(key, CancellationToken.None);

        Assert.That(retry, Is.EqualTo(IdempotencyClaim.RunAgain));
    }

    [Test]
    public void The_byte_bound_is_validated_and_documented_by_its_default()
    {
        var options = new TrackingServerOptions();

        Assert.That(options.IdempotencyCacheBytes, Is.EqualTo(16L * 1024 * 1024));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.IdempotencyCacheBytes = 0);
        Assert.That(options.IdempotencyJournalBytes, Is.EqualTo(32L * 1024 * 1024));
    }
}
