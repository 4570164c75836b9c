using System.Collections.Concurrent;

namespace MlWorkflow.Server.Auth;

/// <summary>
/// Failed logins per user name and client address: after <c>maxFailures</c> in a row the pair waits 1 s, doubling per further
/// failure up to 15 minutes, and is answered 429 meanwhile without its password being checked. State is per process.
/// </summary>
internal sealed class LoginThrottle(int maxFailures, TimeProvider time)
{
    /// <summary>Entries kept before the expired ones are dropped (and, if still too many, all: a flood of names must not exhaust memory).</summary>
    private const int MaxEntries = 100_000;

    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<(string User, string Address), Entry> _entries = new();

    /// <summary>How long the pair must still wait, or zero.</summary>
    public TimeSpan WaitFor(string user, string address) =>
        _entries.TryGetValue((user, address), out var entry) && entry.BlockedUntil > time.GetUtcNow()
            ? entry.BlockedUntil - time.GetUtcNow()
            : TimeSpan.Zero;

    /// <summary>Counts a failure; returns the number of failures in a row.</summary>
    public int Failed(string user, string address)
    {
        if (_entries.Count >= MaxEntries)
        {
            Prune();
        }

        var now = time.GetUtcNow();
        var entry = _entries.AddOrUpdate(
            (user, address),
            _ => Next(0, now),
            (_, old) => Next(old.Failures, now));
        return entry.Failures;
    }

    public void Succeeded(string user, string address) => _entries.TryRemove((user, address), out _);

    private Entry Next(int failures, DateTimeOffset now)
    {
        failures++;
        var over = failures - maxFailures;
        var wait = over < 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(over, 20)), MaxWait.TotalSeconds));
        return new Entry(failures, now + wait, now);
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (entry.BlockedUntil <= now && now - entry.LastFailure > MaxWait)
            {
                _entries.TryRemove(key, out _);
            }
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
    }

    private sealed record Entry(int Failures, DateTimeOffset BlockedUntil, DateTimeOffset LastFailure);
}
