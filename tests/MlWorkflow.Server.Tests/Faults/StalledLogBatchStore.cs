namespace MlWorkflow.Server.Tests.Faults;

/// <summary>
/// A store whose first <c>log-batch</c> writes only its first <paramref name="metricsWritten"/> metrics, then stalls until released:
/// a server process that died in the middle of a write, as its store and its journal saw it.
/// </summary>
internal sealed class StalledLogBatchStore(ITrackingStore inner, int metricsWritten) : DelegatingTrackingStore(inner)
{
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    /// <summary>Completes once the first batch has been partly written and stalls.</summary>
    public Task Stalled => _stalled.Task;

    /// <summary>Lets the stalled batch return (without writing the rest).</summary>
    public void Release() => _release.TrySetResult();

    public override async Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _calls) != 1)
        {
            await Inner.LogBatchAsync(runId, metrics, parameters, tags, cancellationToken);
            return;
        }

        await Inner.LogBatchAsync(runId, metrics.Take(metricsWritten).ToArray(), parameters, tags, cancellationToken);
        _stalled.TrySetResult();
        await _release.Task.WaitAsync(cancellationToken);
    }
}
