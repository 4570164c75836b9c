using System.Diagnostics;
using System.Diagnostics.Metrics;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Tracking.Diagnostics;

/// <summary>
/// The names under which MlWorkflow reports what it does, following .NET's conventions so that OpenTelemetry (or
/// <c>dotnet-counters</c>, <c>dotnet-trace</c>, an <see cref="ActivityListener"/>, a <see cref="MeterListener"/>) picks them up
/// with no extra code: <c>AddSource("MlWorkflow.Tracking")</c> for traces, <c>AddMeter("MlWorkflow.Tracking")</c> for metrics,
/// and log categories starting with <c>MlWorkflow.Tracking</c> for logs (an <c>ILoggerFactory</c> in
/// <see cref="MlflowClientOptions.LoggerFactory"/> or <see cref="RestStoreOptions.LoggerFactory"/>, or the one of the host with
/// <c>services.AddMlflow(...)</c>).
/// </summary>
/// <remarks>
/// <para>Activities (source <see cref="SourceName"/>): <c>mlflow.rest</c> (kind Client), one per REST call with all its
/// retries, tagged <c>http.request.method</c>, <c>url.full</c> (without credentials nor query), <c>server.address</c>,
/// <c>server.port</c>, <c>mlflow.endpoint</c>, <c>http.response.status_code</c> and <c>mlflow.retries</c>, with a
/// <c>retry</c> event per retry (reason and wait); <c>mlflow.model.load</c>, started by model loaders through
/// <see cref="StartModelLoad"/>.</para>
/// <para>Instruments (meter <see cref="MeterName"/>): <c>mlworkflow.tracking.rest.requests</c> (calls, by endpoint and
/// outcome), <c>mlworkflow.tracking.rest.retries</c> (retries, by endpoint and reason),
/// <c>mlworkflow.tracking.rest.duration</c> (seconds per call, retries included), <c>mlworkflow.tracking.writer.failures</c>
/// (failed background <c>log-batch</c> calls of active runs) and <c>mlworkflow.tracking.model.loads</c>.</para>
/// <para>Log categories: <see cref="RestLogCategory"/> (a warning per retry with reason and wait, an error when a call gives up),
/// <see cref="WriterLogCategory"/> (an error per failed background write of an active run) and <see cref="ModelLogCategory"/>.</para>
/// </remarks>
public static class MlflowDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> and of the <see cref="System.Diagnostics.Metrics.Meter"/>: <c>MlWorkflow.Tracking</c>.</summary>
    public const string SourceName = "MlWorkflow.Tracking";

    /// <summary>The name of the meter: <c>MlWorkflow.Tracking</c>.</summary>
    public const string MeterName = SourceName;

    /// <summary>The log category of REST calls and their retries: <c>MlWorkflow.Tracking.Rest</c>.</summary>
    public const string RestLogCategory = "MlWorkflow.Tracking.Rest";

    /// <summary>The log category of the background writers of active runs: <c>MlWorkflow.Tracking.ActiveRun</c>.</summary>
    public const string WriterLogCategory = "MlWorkflow.Tracking.ActiveRun";

    /// <summary>The log category of model loads: <c>MlWorkflow.Tracking.Models</c>.</summary>
    public const string ModelLogCategory = "MlWorkflow.Tracking.Models";

    /// <summary>The name of the activity of one REST call (all its retries included): <c>mlflow.rest</c>.</summary>
    public const string RestActivityName = "mlflow.rest";

    /// <summary>The name of the activity of one model load: <c>mlflow.model.load</c>.</summary>
    public const string ModelLoadActivityName = "mlflow.model.load";

    private static readonly string? Version = typeof(MlflowDiagnostics).Assembly.GetName().Version?.ToString(3);

    /// <summary>The source of MlWorkflow's activities (traces).</summary>
    public static ActivitySource ActivitySource { get; } = new(SourceName, Version);

    /// <summary>The meter of MlWorkflow's instruments (metrics).</summary>
    public static Meter Meter { get; } = new(MeterName, Version);

    internal static Counter<long> RestRequests { get; } = Meter.CreateCounter<long>("mlworkflow.tracking.rest.requests", "{call}", "REST calls to an MLflow server, by endpoint and outcome.");

    internal static Counter<long> RestRetries { get; } = Meter.CreateCounter<long>("mlworkflow.tracking.rest.retries", "{retry}", "Retries of REST calls, by endpoint and reason.");

    internal static Histogram<double> RestDuration { get; } = Meter.CreateHistogram<double>("mlworkflow.tracking.rest.duration", "s", "Duration of REST calls, retries and backoff included.");

    internal static Counter<long> WriterFailures { get; } = Meter.CreateCounter<long>("mlworkflow.tracking.writer.failures", "{call}", "Failed background log-batch calls of active runs.");

    internal static Counter<long> ModelLoads { get; } = Meter.CreateCounter<long>("mlworkflow.tracking.model.loads", "{load}", "Model loads, by outcome.");

    /// <summary>
    /// Starts the activity of a model load (<c>mlflow.model.load</c>, tagged <c>mlflow.model.uri</c> without credentials) and
    /// counts it; model loaders call it and dispose the activity when the load ends.
    /// </summary>
    /// <param name="modelUri">The model's URI.</param>
    /// <returns>The activity, or null when nobody listens.</returns>
    public static Activity? StartModelLoad(string modelUri)
    {
        ArgumentNullException.ThrowIfNull(modelUri);
        ModelLoads.Add(1);
        var activity = ActivitySource.StartActivity(ModelLoadActivityName, ActivityKind.Internal);
        activity?.SetTag("mlflow.model.uri", SecretRedactor.RedactUri(modelUri));
        return activity;
    }
}
