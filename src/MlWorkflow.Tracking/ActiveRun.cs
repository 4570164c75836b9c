using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Diagnostics;
using MlWorkflow.Tracking.Logging;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking;

/// <summary>
/// A running run. Metrics, params and tags are checked at once, then queued and written in <c>log-batch</c> calls by a
/// background loop; <see cref="FlushAsync"/>, <see cref="EndAsync"/> and <see cref="DisposeAsync"/> wait for the queue
/// and raise any write failure. A full queue makes logging calls wait (back-pressure); nothing is dropped. Runs still
/// open when the process exits normally are flushed and ended FINISHED, as MLflow does; runs still open when an
/// unhandled exception ends the process are ended FAILED.
/// </summary>
/// <remarks>
/// <para><c>await using var run = await client.StartRunAsync(...)</c> ends the run FINISHED when the block is left, even by an
/// exception: C# gives <see cref="DisposeAsync"/> no exception to look at. MLflow's <c>with mlflow.start_run():</c> marks that
/// case FAILED; to get the same, use <see cref="MlflowClient.RunAsync(string?, Func{ActiveRun, Task}, string?, CancellationToken)"/>,
/// or call <c>EndAsync(RunStatus.Failed)</c> in a <c>catch</c>.</para>
/// <para>Once the run has ended it takes nothing more: metrics, params, tags, artifacts and inputs are all refused with an
/// <see cref="InvalidOperationException"/>.</para>
/// </remarks>
public sealed partial class ActiveRun : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<ActiveRun, byte> OpenRuns = new();
    private static int _exitHookInstalled;

    private readonly BatchedRunWriter _writer;
    private readonly ILogger _logger;
    private readonly Dictionary<string, string> _loggedParams = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _endGate = new(1, 1);
    private IArtifactRepository? _artifacts;
    private RunInfo _info;

    internal ActiveRun(MlflowClient client, RunInfo info)
    {
        Client = client;
        _info = info;
        _logger = (client.Options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger(MlflowDiagnostics.WriterLogCategory);
        _writer = new BatchedRunWriter(client.Store, info.RunId, client.Options.Logging.QueueCapacity, _logger);
        OpenRuns.TryAdd(this, 0);
        InstallExitHook();
    }

    /// <summary>The client that started this run.</summary>
    public MlflowClient Client { get; }

    /// <summary>The run id.</summary>
    public string RunId => _info.RunId;

    /// <summary>The id of the experiment that holds the run.</summary>
    public string ExperimentId => _info.ExperimentId;

    /// <summary>The run's metadata: as started, then as ended.</summary>
    public RunInfo Info => _info;

    /// <summary>Whether the run has ended.</summary>
    public bool IsEnded { get; private set; }

    /// <summary>The repository of this run's artifacts.</summary>
    public IArtifactRepository Artifacts => _artifacts ??= Client.Options.ArtifactRepositories.Create(_info.ArtifactUri);

    // ---- Metrics, params, tags (queued) -----------------------------------------------------------------------

    /// <summary>Queues a metric value. Waits while the queue is full.</summary>
    /// <param name="key">The metric key.</param>
    /// <param name="value">The value (NaN and ±Infinity are allowed).</param>
    /// <param name="step">The step. The default value is 0.</param>
    /// <param name="timestamp">When it was measured; null for now.</param>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for an invalid key.</exception>
    public void LogMetric(string key, double value, long step = 0, DateTimeOffset? timestamp = null) =>
        _writer.Enqueue(CheckedMetric(key, value, step, timestamp));

    /// <summary>Queues a metric value, waiting asynchronously while the queue is full.</summary>
    /// <param name="key">The metric key.</param>
    /// <param name="value">The value (NaN and ±Infinity are allowed).</param>
    /// <param name="step">The step. The default value is 0.</param>
    /// <param name="timestamp">When it was measured; null for now.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>A task that completes when the value is queued.</returns>
    public ValueTask LogMetricAsync(string key, double value, long step = 0, DateTimeOffset? timestamp = null, CancellationToken cancellationToken = default) =>
        _writer.EnqueueAsync(CheckedMetric(key, value, step, timestamp), cancellationToken);

    /// <summary>Queues several metric values at one step and time.</summary>
    /// <param name="metrics">Keys and values.</param>
    /// <param name="step">The step. The default value is 0.</param>
    public void LogMetrics(IEnumerable<KeyValuePair<string, double>> metrics, long step = 0)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var timestamp = Client.Options.TimeProvider.GetUtcNow();
        foreach (var (key, value) in metrics)
        {
            LogMetric(key, value, step, timestamp);
        }
    }

    /// <summary>
    /// Queues a param. Params are immutable: logging a key again with the same value does nothing, with another value
    /// fails at once.
    /// </summary>
    /// <param name="key">The param key.</param>
    /// <param name="value">The value, formatted with the invariant culture as Python's <c>str</c> would (<c>true</c> becomes <c>True</c>,
    /// <c>new[] { 1, 2, 3 }</c> becomes <c>[1, 2, 3]</c>, <c>new[] { "a" }</c> becomes <c>['a']</c>), as MLflow stores params.</param>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for an invalid key or value, or a changed value.</exception>
    public void LogParam(string key, object? value)
    {
        var param = new Param(key, ValueText.Format(value));
        TrackingValidation.ValidateParam(param);
        lock (_loggedParams)
        {
            if (_loggedParams.TryGetValue(key, out var previous))
            {
                if (previous == param.Value)
                {
                    return;
                }

                throw MlflowException.InvalidParameter(
                    $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{previous}' for run ID='{RunId}'. Attempted logging new value '{param.Value}'.");
            }

            _loggedParams.Add(key, param.Value);
        }

        _writer.Enqueue(param);
    }

    /// <summary>Queues several params (any value type: <c>Dictionary&lt;string, object&gt;</c>, <c>Dictionary&lt;string, int&gt;</c>, …).</summary>
    /// <typeparam name="TValue">The values' type.</typeparam>
    /// <param name="parameters">Keys and values; sequences are written as Python lists (<c>[1, 2, 3]</c>), as MLflow does.</param>
    public void LogParams<TValue>(IEnumerable<KeyValuePair<string, TValue>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (key, value) in parameters)
        {
            LogParam(key, value);
        }
    }

    /// <summary>Queues a tag (set or overwritten).</summary>
    /// <param name="key">The tag key.</param>
    /// <param name="value">The value.</param>
    public void SetTag(string key, string value)
    {
        var tag = new RunTag(key, value ?? throw new ArgumentNullException(nameof(value)));
        TrackingValidation.ValidateTag(tag);
        _writer.Enqueue(tag);
    }

    /// <summary>Queues several tags.</summary>
    /// <param name="tags">Keys and values.</param>
    public void SetTags(IEnumerable<KeyValuePair<string, string>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var (key, value) in tags)
        {
            SetTag(key, value);
        }
    }

    /// <summary>Waits until everything queued so far is written, and raises any write failure since the last flush.</summary>
    /// <param name="cancellationToken">Cancels the wait (the data stays queued).</param>
    /// <returns>A task that completes when the queue is written.</returns>
    /// <exception cref="MlflowException">When some queued data could not be written; the message says how much.</exception>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _writer.FlushAsync(cancellationToken);

    // ---- Inputs and artifacts (written at once) ------------------------------------------------------------------

    /// <summary>Records a dataset this run used (<c>runs/log-inputs</c>).</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="context">The <c>mlflow.data.context</c> input tag (<c>training</c>, <c>evaluation</c>, …); null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the input is recorded.</returns>
    public Task LogInputAsync(Dataset dataset, string? context = "training", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (EndedError("inputs") is { } ended)
        {
            return Task.FromException(ended);
        }

        var tags = context is null ? Array.Empty<InputTag>() : [new InputTag("mlflow.data.context", context)];
        return Client.LogInputsAsync(RunId, [new DatasetInput(dataset, tags)], cancellationToken);
    }

    /// <summary>Logs a local file, or the contents of a local folder, under <paramref name="artifactPath"/>.</summary>
    /// <param name="localPath">A file or a folder.</param>
    /// <param name="artifactPath">The folder under the run's artifact root; null for the root.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>A task that completes when the artifact is stored.</returns>
    /// <exception cref="InvalidOperationException">When the run has ended.</exception>
    public Task LogArtifactAsync(string localPath, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        return EndedError("artifacts") is { } ended
            ? Task.FromException(ended)
            : ArtifactLogging.LogPathAsync(Artifacts, localPath, artifactPath, cancellationToken);
    }

    /// <summary>Writes text (UTF-8) as an artifact file.</summary>
    /// <param name="artifactFile">The file path under the artifact root, such as <c>notes/readme.txt</c>.</param>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is stored.</returns>
    public Task LogTextAsync(string artifactFile, string text, CancellationToken cancellationToken = default) =>
        LogBytesAsync(artifactFile, Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))), cancellationToken);

    /// <summary>Writes a value as an indented JSON artifact file.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="artifactFile">The file path under the artifact root, such as <c>config/params.json</c>.</param>
    /// <param name="value">The value to serialise with System.Text.Json.</param>
    /// <param name="options">Serializer options; null for indented output with default settings.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is stored.</returns>
    public Task LogJsonAsync<T>(string artifactFile, T value, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        LogBytesAsync(artifactFile, JsonSerializer.SerializeToUtf8Bytes(value, options ?? IndentedJson), cancellationToken);

    /// <summary>Writes bytes as an artifact file.</summary>
    /// <param name="artifactFile">The file path under the artifact root.</param>
    /// <param name="bytes">The content.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is stored.</returns>
    /// <exception cref="InvalidOperationException">When the run has ended.</exception>
    public async Task LogBytesAsync(string artifactFile, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        if (EndedError("artifacts") is { } ended)
        {
            throw ended;
        }

        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        await Artifacts.WriteAsync(artifactFile, stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists one level of this run's artifacts.</summary>
    /// <param name="path">The folder; null for the root.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries, sorted by path.</returns>
    public Task<IReadOnlyList<ArtifactFileInfo>> ListArtifactsAsync(string? path = null, CancellationToken cancellationToken = default) =>
        Artifacts.ListAsync(path, cancellationToken);

    /// <summary>Downloads an artifact file or folder of this run into a local folder.</summary>
    /// <param name="artifactPath">The file or folder; null for everything.</param>
    /// <param name="destinationDirectory">The local folder to copy into.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The local path of the copy.</returns>
    public Task<string> DownloadArtifactsAsync(string? artifactPath, string destinationDirectory, CancellationToken cancellationToken = default) =>
        Artifacts.DownloadAsync(artifactPath, destinationDirectory, cancellationToken);

    // ---- Nesting and ending ------------------------------------------------------------------------------------

    /// <summary>Starts a nested run in the same experiment (tag <c>mlflow.parentRunId</c> = this run).</summary>
    /// <param name="runName">The child's name; null for a generated one.</param>
    /// <param name="tags">Tags to set at creation.</param>
    /// <param name="description">A Markdown description.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The running child run.</returns>
    public async Task<ActiveRun> StartChildRunAsync(string? runName = null, IReadOnlyDictionary<string, string>? tags = null, string? description = null, CancellationToken cancellationToken = default)
    {
        var experiment = await Client.GetExperimentAsync(ExperimentId, cancellationToken).ConfigureAwait(false);
        return await Client.StartRunAsync(experiment, runName, tags, description, RunId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the run: writes everything queued, then sets the status and the end time. When queued data could not be
    /// written, the run still ends (as FAILED if <paramref name="status"/> was FINISHED) and the failure is raised.
    /// Ending an ended run does nothing.
    /// </summary>
    /// <param name="status">The terminal status. The default value is <see cref="RunStatus.Finished"/>.</param>
    /// <param name="cancellationToken">Cancels the status update.</param>
    /// <returns>A task that completes when the run has ended.</returns>
    public async Task EndAsync(RunStatus status = RunStatus.Finished, CancellationToken cancellationToken = default)
    {
        await _endGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsEnded)
            {
                return;
            }

            Exception? writeFailure = null;
            try
            {
                await _writer.CloseAsync().ConfigureAwait(false);
            }
            catch (MlflowException error)
            {
                writeFailure = error;
            }

            var finalStatus = writeFailure is not null && status == RunStatus.Finished ? RunStatus.Failed : status;
            _info = await Client.Store.UpdateRunInfoAsync(RunId, finalStatus, Client.NowMilliseconds(), null, cancellationToken).ConfigureAwait(false);
            IsEnded = true;
            OpenRuns.TryRemove(this, out _);
            if (writeFailure is not null)
            {
                throw writeFailure;
            }
        }
        finally
        {
            _endGate.Release();
        }
    }

    /// <summary>
    /// Ends the run as FINISHED if it has not ended yet (see <see cref="EndAsync"/>). This is what <c>await using</c> calls, also
    /// when an exception leaves the block (C# gives <c>DisposeAsync</c> no exception): to end FAILED as MLflow's
    /// <c>with start_run()</c> does, use <see cref="MlflowClient.RunAsync(string?, Func{ActiveRun, Task}, string?, CancellationToken)"/>.
    /// </summary>
    /// <returns>A task that completes when the run has ended.</returns>
    public async ValueTask DisposeAsync() => await EndAsync(RunStatus.Finished).ConfigureAwait(false);

    /// <inheritdoc />
    public override string ToString() => $"ActiveRun {RunId} (experiment {ExperimentId}, {(IsEnded ? _info.Status.ToString() : "running")})";

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    /// <summary>Logs that the run could not be ended cleanly after its body failed (the body's exception wins).</summary>
    internal void ReportEndFailure(Exception error) => EndFailed(_logger, RunId, SecretRedactor.Redact(error.Message), error);

    [LoggerMessage(EventId = 11, EventName = "RunEndFailed", Level = LogLevel.Error, Message = "Run {RunId} could not be ended after its body failed: {Reason}")]
    private static partial void EndFailed(ILogger logger, string runId, string reason, Exception error);

    private InvalidOperationException? EndedError(string what) => IsEnded
        ? new InvalidOperationException($"Run {RunId} has ended: it takes no more {what} (nor metrics, params or tags). Start or resume a run to log more.")
        : null;

    private Metric CheckedMetric(string key, double value, long step, DateTimeOffset? timestamp)
    {
        var metric = new Metric(key, value, (timestamp ?? Client.Options.TimeProvider.GetUtcNow()).ToUnixTimeMilliseconds(), step);

        // A training loop logs the same few keys over and over: check each key once (a bounded memo).
        if (metric.Timestamp < 0 || !_validMetricKeys.ContainsKey(key))
        {
            TrackingValidation.ValidateMetric(metric);
            if (_validMetricKeys.Count < MaxRememberedKeys)
            {
                _validMetricKeys.TryAdd(key, 0);
            }
        }

        return metric;
    }

    private const int MaxRememberedKeys = 10_000;
    private readonly ConcurrentDictionary<string, byte> _validMetricKeys = new(StringComparer.Ordinal);

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref _exitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => EndOpenRunsAtExit(RunStatus.Finished, "exit");
            AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            {
                // MLflow ends the active run FAILED when an exception ends the program.
                if (e.IsTerminating)
                {
                    EndOpenRunsAtExit(RunStatus.Failed, "an unhandled exception");
                }
            };
        }
    }

    private static void EndOpenRunsAtExit(RunStatus status, string why)
    {
        foreach (var run in OpenRuns.Keys)
        {
            // The process is exiting and no caller is left to await: this is the one place that blocks on async work.
            var timeout = run.Client.Options.Logging.ExitFlushTimeout;
            try
            {
                if (!run.EndAsync(status).Wait(timeout))
                {
                    Console.Error.WriteLine(SecretRedactor.Redact(
                        $"MlWorkflow: run {run.RunId} was not ended at {why}: writing its queued data did not finish within {timeout.TotalSeconds:0.###} s (BatchedLoggingOptions.ExitFlushTimeout); it may stay RUNNING and miss its last values."));
                }
            }
            catch (AggregateException error)
            {
                Console.Error.WriteLine(SecretRedactor.Redact($"MlWorkflow: run {run.RunId} could not be flushed at {why}: {error.InnerException?.Message}"));
            }
        }
    }
}
