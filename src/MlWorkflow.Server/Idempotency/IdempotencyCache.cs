namespace MlWorkflow.Server.Idempotency;

/// <summary>
/// The answers of applied writes by (hashed) <c>Idempotency-Key</c>, bounded in count, bytes and age, so that a retried write
/// is answered from here instead of being applied twice. A write still running holds its key: a replay waits for it. A write
/// that failed leaves its key in the "outcome unknown" state, so that its retry knows a part of it may already be stored.
/// </summary>
internal sealed class IdempotencyCache(int capacity, long maxBytes, TimeSpan lifetime, TimeProvider time)
{
    /// <summary>The fixed cost of an entry: the hashed key (64 characters) and the bookkeeping objects.</summary>
    private const long EntryOverhead = (64 * 2) + 160;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<Entry> _order = new();
    private long _bytes;
    private int _settled;

    public bool Enabled => capacity > 0;

    /// <summary>The bytes the settled entries take.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>How many keys are remembered (applied, or of unknown outcome).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _settled;
            }
        }
    }

    /// <summary>Claims a key, waiting while another request holds it.</summary>
    /// <returns>What to do, and the remembered answer for <see cref="IdempotencyClaim.Replay"/>.</returns>
    public async Task<(IdempotencyClaim Claim, CachedResponse? Response)> ClaimAsync(string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task running;
            lock (_gate)
            {
                Evict();
                if (!_entries.TryGetValue(key, out var entry))
                {
                    _entries[key] = Entry.Running(key);
                    return (IdempotencyClaim.Run, null);
                }

                if (entry.Pending is { } pending)
                {
                    running = pending.Task;
                }
                else if (entry.Response is { } response)
                {
                    return (IdempotencyClaim.Replay, response);
                }
                else
                {
                    Forget(entry);
                    _entries[key] = Entry.Running(key);
                    return (IdempotencyClaim.RunAgain, null);
                }
            }

            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Settles a claimed key: its answer when the write was applied, null when its outcome is unknown (it failed).</summary>
    public void Complete(string key, CachedResponse? response) => Settle(key, response, time.GetUtcNow(), claimed: true);

    /// <summary>Restores a key from the journal of an earlier server process.</summary>
    public void Restore(string key, CachedResponse? response, DateTimeOffset at) => Settle(key, response, at, claimed: false);

    private void Settle(string key, CachedResponse? response, DateTimeOffset at, bool claimed)
    {
        TaskCompletionSource? pending = null;
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                if (existing.Pending is not null && !claimed)
                {
                    return;
                }

                pending = existing.Pending;
                Forget(existing);
            }
            else if (claimed)
            {
                return;
            }

            var entry = new Entry(key, null, response, at, EntryOverhead + (response?.Bytes ?? 0));
            _entries[key] = entry;
            _order.Enqueue(entry);
            _bytes += entry.Bytes;
            _settled++;
            Evict();
        }

        pending?.TrySetResult();
    }

    /// <summary>Drops a settled entry's accounting (its queue node goes stale and is skipped on eviction).</summary>
    private void Forget(Entry entry)
    {
        if (entry.Pending is null && _entries.Remove(entry.Key))
        {
            _bytes -= entry.Bytes;
            _settled--;
        }
    }

    private void Evict()
    {
        var now = time.GetUtcNow();
        while (_order.TryPeek(out var oldest)
            && (_settled > capacity || _bytes > maxBytes || now - oldest.At > lifetime || !IsCurrent(oldest)))
        {
            _order.Dequeue();
            if (IsCurrent(oldest))
            {
                Forget(oldest);
            }
        }
    }

    private bool IsCurrent(Entry entry) => _entries.TryGetValue(entry.Key, out var current) && ReferenceEquals(current, entry);

    private sealed record Entry(string Key, TaskCompletionSource? Pending, CachedResponse? Response, DateTimeOffset At, long Bytes)
    {
        public static Entry Running(string key) => new(key, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null, default, 0);
    }
}
