using System.Collections.Concurrent;

namespace MlWorkflow.Server.Tests.Rest;

/// <summary>
/// A fake clock for the retry pipeline: it records every delay asked of it, fires the short ones (backoffs) at once and
/// never fires the long ones (timeouts), so a test sees the exact backoff schedule without waiting for it.
/// </summary>
internal sealed class RecordingClock(TimeSpan fireBelow) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();

    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new RecordingTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(TimeSpan dueTime, TimerCallback callback, object? state)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        _delays.Enqueue(dueTime);
        if (dueTime >= TimeSpan.Zero && dueTime < fireBelow)
        {
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }
    }

    private sealed class RecordingTimer(RecordingClock clock, TimerCallback callback, object? state) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Schedule(dueTime, callback, state);
            return true;
        }

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => default;
    }
}
