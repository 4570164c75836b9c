namespace MlWorkflow.Server.Tests.Faults;

/// <summary>A file store whose first <c>log-batch</c> writes, then takes <paramref name="delay"/> more to finish (honouring cancellation).</summary>
internal sealed class SlowLogBatchStore(ITrackingStore inner, TimeSpan delay) : DelegatingTrackingStore(inner)
{
    private int _calls;

    public override async Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken = default)
    {
        await Inner.LogBatchAsync(runId, metrics, parameters, tags, cancellationToken);
        if (Interlocked.Increment(ref _calls) == 1)
        {
            await Task.Delay(delay, cancellationToken);
        }
    }
}
