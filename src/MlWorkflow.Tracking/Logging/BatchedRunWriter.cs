using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.Diagnostics;

namespace MlWorkflow.Tracking.Logging;

/// <summary>
/// The background writer behind <c>ActiveRun</c>: a bounded in-memory queue of metrics, params and tags that
/// one loop drains into <c>log-batch</c> calls. Full queue: callers wait (back-pressure), nothing is dropped. Failures
/// are kept and raised by the next <see cref="FlushAsync"/>, and reported when they happen (an error log line, the
/// <c>mlworkflow.tracking.writer.failures</c> counter).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim holds no OS handle unless AvailableWaitHandle is read, and the writer's loop may still release it after its run ends.")]
internal sealed partial class BatchedRunWriter
{
    private readonly ILogger _logger;
    private readonly ITrackingStore _store;
    private readonly string _runId;
    private readonly int _capacity;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = [];
    private readonly List<Exception> _failures = [];
    private readonly Task _loop;

    private List<Metric> _metrics = [];
    private List<Param> _params = [];
    private List<RunTag> _tags = [];
    private int _pending;
    private long _enqueued;
    private long _completed;
    private long _failedItems;
    private bool _workSignaled;
    private bool _closed;
    private TaskCompletionSource? _roomAvailable;

    public BatchedRunWriter(ITrackingStore store, string runId, int capacity, ILogger logger)
    {
        _logger = logger;
        _store = store;
        _runId = runId;
        _capacity = capacity;
        _loop = Task.Run(RunLoopAsync);
    }

    /// <summary>Queues a metric, waiting (blocking) while the queue is full.</summary>
    public void Enqueue(Metric metric)
    {
        lock (_gate)
        {
            WaitForRoomLocked();
            _metrics.Add(metric);
            AddedLocked();
        }
    }

    /// <summary>Queues a param, waiting (blocking) while the queue is full.</summary>
    public void Enqueue(Param param)
    {
        lock (_gate)
        {
            WaitForRoomLocked();
            _params.Add(param);
            AddedLocked();
        }
    }

    /// <summary>Queues a tag, waiting (blocking) while the queue is full.</summary>
    public void Enqueue(RunTag tag)
    {
        lock (_gate)
        {
            WaitForRoomLocked();
            _tags.Add(tag);
            AddedLocked();
        }
    }

    /// <summary>Queues a metric, waiting asynchronously while the queue is full.</summary>
    public async ValueTask EnqueueAsync(Metric metric, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                ThrowIfClosedLocked();
                if (_pending < _capacity)
                {
                    _metrics.Add(metric);
                    AddedLocked();
                    return;
                }

                wait = (_roomAvailable ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until everything queued before this call is written, then raises any failure since the last flush.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Task? wait = null;
        lock (_gate)
        {
            if (_completed < _enqueued)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _flushWaiters.Add((_enqueued, done));
                wait = done.Task;
            }
        }

        if (wait is not null)
        {
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        ThrowFailures();
    }

    /// <summary>Stops accepting data, writes what is queued, and raises any failure not yet raised.</summary>
    public async Task CloseAsync()
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _closed = true;
                Monitor.PulseAll(_gate);
                _roomAvailable?.TrySetResult();
            }
        }

        _work.Release();
        await _loop.ConfigureAwait(false);
        ThrowFailures();
    }

    private void WaitForRoomLocked()
    {
        ThrowIfClosedLocked();
        while (_pending >= _capacity)
        {
            Monitor.Wait(_gate);
            ThrowIfClosedLocked();
        }
    }

    private void ThrowIfClosedLocked()
    {
        if (_closed)
        {
            throw new InvalidOperationException($"Run {_runId} has ended: it takes no more metrics, params or tags.");
        }
    }

    private void AddedLocked()
    {
        _pending++;
        _enqueued++;
        if (!_workSignaled)
        {
            _workSignaled = true;
            _work.Release();
        }
    }

    private async Task RunLoopAsync()
    {
        while (true)
        {
            await _work.WaitAsync().ConfigureAwait(false);
            while (TryTakeAll(out var metrics, out var parameters, out var tags, out var count))
            {
                await WriteAsync(metrics, parameters, tags).ConfigureAwait(false);
                Completed(count);
            }

            lock (_gate)
            {
                if (_closed && _pending == 0)
                {
                    return;
                }
            }
        }
    }

    private bool TryTakeAll(out List<Metric> metrics, out List<Param> parameters, out List<RunTag> tags, out int count)
    {
        lock (_gate)
        {
            metrics = _metrics;
            parameters = _params;
            tags = _tags;
            count = _pending;
            _workSignaled = false;
            if (count == 0)
            {
                return false;
            }

            _metrics = new List<Metric>(Math.Min(metrics.Count, _capacity));
            _params = [];
            _tags = [];
            _pending = 0;

            // Room is given back as soon as the data leaves the queue, so callers keep logging while it is written.
            Monitor.PulseAll(_gate);
            _roomAvailable?.TrySetResult();
            _roomAvailable = null;
            return true;
        }
    }

    private async Task WriteAsync(List<Metric> metrics, List<Param> parameters, List<RunTag> tags)
    {
        // Metrics of one key stay together (in logging order): a file store then appends each key's lines in one write.
        foreach (var batch in LogBatchSplitter.Split(GroupByKey(metrics), parameters, tags))
        {
            try
            {
                await _store.LogBatchAsync(_runId, batch.Metrics, batch.Params, batch.Tags).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                // Nobody awaits this loop: the failure is shown now, and raised by the next flush.
                MlflowDiagnostics.WriterFailures.Add(1);
                WriteFailed(_logger, _runId, batch.Count, SecretRedactor.Redact(error.Message), error);
                lock (_gate)
                {
                    _failures.Add(error);
                    _failedItems += batch.Count;
                }
            }
        }
    }

    private static IReadOnlyList<Metric> GroupByKey(List<Metric> metrics)
    {
        if (metrics.Count < 2)
        {
            return metrics;
        }

        var groups = new Dictionary<string, List<Metric>>(StringComparer.Ordinal);
        var order = new List<List<Metric>>();
        foreach (var metric in metrics)
        {
            if (!groups.TryGetValue(metric.Key, out var group))
            {
                group = [];
                groups.Add(metric.Key, group);
                order.Add(group);
            }

            group.Add(metric);
        }

        if (order.Count == 1)
        {
            return metrics;
        }

        var grouped = new Metric[metrics.Count];
        var index = 0;
        foreach (var group in order)
        {
            group.CopyTo(grouped, index);
            index += group.Count;
        }

        return grouped;
    }

    private void Completed(int count)
    {
        List<TaskCompletionSource>? done = null;
        lock (_gate)
        {
            _completed += count;
            for (var i = _flushWaiters.Count - 1; i >= 0; i--)
            {
                if (_flushWaiters[i].Target <= _completed)
                {
                    (done ??= []).Add(_flushWaiters[i].Done);
                    _flushWaiters.RemoveAt(i);
                }
            }
        }

        done?.ForEach(waiter => waiter.TrySetResult());
    }

    private void ThrowFailures()
    {
        Exception[] failures;
        long failedItems;
        lock (_gate)
        {
            if (_failures.Count == 0)
            {
                return;
            }

            failures = [.. _failures];
            failedItems = _failedItems;
            _failures.Clear();
            _failedItems = 0;
        }

        var first = failures[0];
        var code = first is MlflowException mlflow ? mlflow.ErrorCode : ErrorCode.InternalError;
        var message = $"{failedItems} queued metric, param or tag values of run {_runId} could not be written " +
            $"({failures.Length} failed log-batch call{(failures.Length == 1 ? string.Empty : "s")}): {first.Message}";
        throw new MlflowException(code, message, failures.Length == 1 ? first : new AggregateException(failures));
    }

    [LoggerMessage(EventId = 10, EventName = "WriterFailed", Level = LogLevel.Error,
        Message = "Background log-batch of run {RunId} failed: {Count} queued values not written ({Reason}); the next FlushAsync or EndAsync raises it")]
    private static partial void WriteFailed(ILogger logger, string runId, int count, string reason, Exception error);
}
