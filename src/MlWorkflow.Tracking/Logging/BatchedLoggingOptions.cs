namespace MlWorkflow.Tracking.Logging;

/// <summary>How an <c>ActiveRun</c> queues and batches metrics, params and tags.</summary>
public sealed class BatchedLoggingOptions
{
    private int _queueCapacity = 100_000;
    private TimeSpan _exitFlushTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most metrics, params and tags that may wait to be written. When the queue is full, logging calls wait
    /// for room (back-pressure); nothing is dropped. The default value is 100,000.
    /// </summary>
    public int QueueCapacity
    {
        get => _queueCapacity;
        set => _queueCapacity = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The queue capacity must be at least 1.");
    }

    /// <summary>
    /// How long the process-exit hook waits for queued data to be written when a process ends without ending its
    /// runs. The default value is 30 seconds.
    /// </summary>
    public TimeSpan ExitFlushTimeout
    {
        get => _exitFlushTimeout;
        set => _exitFlushTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The timeout must be positive.");
    }
}
