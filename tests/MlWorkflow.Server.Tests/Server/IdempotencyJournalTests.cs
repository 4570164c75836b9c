using Microsoft.Extensions.Logging.Abstractions;
using MlWorkflow.Server.Idempotency;

namespace MlWorkflow.Server.Tests.Server;

/// <summary>The idempotency journal on real files: what a killed process leaves is read back, a torn last line is not, and old files go.</summary>
[TestFixture]
public sealed class IdempotencyJournalTests
{
    private static readonly string Applied = new('a', 64);
    private static readonly string Unknown = new('b', 64);
    private static readonly string Torn = new('c', 64);

    [Test]
    public async Task Records_of_a_dead_process_are_restored_and_a_torn_last_line_is_ignored()
    {
        using var directory = new TemporaryDirectory();
        using (var journal = Open(directory.Path, TimeSpan.FromHours(1)))
        {
            journal.Started(Applied);
            journal.Applied(Applied, new CachedResponse(200, "application/json", "{}"u8.ToArray()));
            journal.Started(Unknown);
            journal.Started(Torn);
        }

        var file = Directory.GetFiles(directory.Path, ".idempotency-*.log").Single();
        // A kill in the middle of the next record: its line has no newline, and its body is cut at a base64 boundary
        // (`eyJydW4i` is `{"run"` of `{"run":{}}`), so that only the missing newline tells it apart.
        await File.AppendAllTextAsync(file, $"D {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} {Torn} 200 - eyJydW4i");
        var cache = new IdempotencyCache(100, 1024 * 1024, TimeSpan.FromHours(1), TimeProvider.System);
        using var restarted = Open(directory.Path, TimeSpan.FromHours(1));
        restarted.LoadInto(cache);

        var (applied, answer) = await cache.ClaimAsync(Applied, CancellationToken.None);
        var (unknown, _) = await cache.ClaimAsync(Unknown, CancellationToken.None);
        var (torn, _) = await cache.ClaimAsync(Torn, CancellationToken.None);
        var (fresh, _) = await cache.ClaimAsync(new string('d', 64), CancellationToken.None);

        Assert.That(applied, Is.EqualTo(IdempotencyClaim.Replay));
        Assert.That(answer!.Body, Is.EqualTo("{}"u8.ToArray()));
        Assert.That(unknown, Is.EqualTo(IdempotencyClaim.RunAgain));
        Assert.That(torn, Is.EqualTo(IdempotencyClaim.RunAgain), "the torn answer line is not trusted: only its start record counts");
        Assert.That(fresh, Is.EqualTo(IdempotencyClaim.Run));
    }

    [Test]
    public void Files_past_the_byte_budget_are_deleted_oldest_first()
    {
        using var directory = new TemporaryDirectory();
        using var journal = new IdempotencyJournal(directory.Path, maxBytes: 8 * 1024, TimeSpan.FromHours(1), TimeProvider.System, NullLogger.Instance);
        for (var i = 0; i < 1_000; i++)
        {
            journal.Applied(i.ToString("D64", System.Globalization.CultureInfo.InvariantCulture), new CachedResponse(200, "application/json", new byte[100]));
        }

        var files = new DirectoryInfo(directory.Path).GetFiles(".idempotency-*.log");

        Assert.That(files.Sum(f => f.Length), Is.LessThanOrEqualTo(8 * 1024 + 2 * 1024), "within the budget, give or take the file being written");
        Assert.That(files, Has.Length.GreaterThan(1));
    }

    private static IdempotencyJournal Open(string directory, TimeSpan lifetime) =>
        new(directory, 1024 * 1024, lifetime, TimeProvider.System, NullLogger.Instance);
}
