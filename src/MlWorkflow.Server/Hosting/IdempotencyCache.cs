using System.Collections.Concurrent;

namespace MlWorkflow.Server.Hosting;

/// <summary>
/// The answers of applied requests by <c>Idempotency-Key</c>, bounded in count and age, so that a retried write is answered
/// from here instead of being applied twice. A request still running holds its key: a replay waits for it.
/// </summary>
internal sealed class IdempotencyCache(int capacity, TimeSpan lifetime, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CachedResponse?>> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Key, long AddedAt)> _order = new();

    public bool Enabled => capacity > 0;

    /// <summary>Claims a key. True: the caller runs the request and must call <see cref="Complete"/>. False: <paramref name="existing"/> will carry the first run's answer (null when it failed).</summary>
    public bool TryClaim(string key, out Task<CachedResponse?> existing)
    {
        Evict();
        var claim = new TaskCompletionSource<CachedResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entry = _entries.GetOrAdd(key, claim);
        existing = entry.Task;
        return ReferenceEquals(entry, claim);
    }

    /// <summary>Publishes a claimed key's answer; a null answer (a failure) releases the key so a retry applies the request again.</summary>
    public void Complete(string key, CachedResponse? response)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return;
        }

        if (response is null)
        {
            _entries.TryRemove(new KeyValuePair<string, TaskCompletionSource<CachedResponse?>>(key, entry));
        }
        else
        {
            _order.Enqueue((key, time.GetTimestamp()));
        }

        entry.TrySetResult(response);
    }

    private void Evict()
    {
        while (_order.TryPeek(out var oldest)
            && (_order.Count > capacity || time.GetElapsedTime(oldest.AddedAt) > lifetime)
            && _order.TryDequeue(out oldest))
        {
            _entries.TryRemove(oldest.Key, out _);
        }
    }
}

/// <summary>A remembered answer: status, content type and body.</summary>
internal sealed record CachedResponse(int StatusCode, string? ContentType, byte[] Body);
