using System.Diagnostics.Metrics;

namespace MlWorkflow.Serving.Diagnostics;

/// <summary>
/// The names under which the scoring server reports what it does, for OpenTelemetry (<c>AddMeter("MlWorkflow.Serving")</c>),
/// <c>dotnet-counters</c> or a <see cref="MeterListener"/>.
/// </summary>
/// <remarks>
/// Instruments (meter <see cref="MeterName"/>): <c>mlworkflow.serving.requests</c> (<c>/invocations</c> calls, tagged
/// <c>http.response.status_code</c> and <c>mlflow.model.version</c>), <c>mlworkflow.serving.rows</c> (rows scored),
/// <c>mlworkflow.serving.duration</c> (seconds per <c>/invocations</c> call, body read included) and
/// <c>mlworkflow.serving.swaps</c> (versions swapped in by following the registry). Logs: category <see cref="LogCategory"/>.
/// </remarks>
public static class ServingDiagnostics
{
    /// <summary>The name of the meter: <c>MlWorkflow.Serving</c>.</summary>
    public const string MeterName = "MlWorkflow.Serving";

    /// <summary>The log category of the scoring server: <c>MlWorkflow.Serving</c>.</summary>
    public const string LogCategory = "MlWorkflow.Serving";

    /// <summary>The meter of the scoring server's instruments.</summary>
    public static Meter Meter { get; } = new(MeterName, typeof(ServingDiagnostics).Assembly.GetName().Version?.ToString(3));

    internal static Counter<long> Requests { get; } = Meter.CreateCounter<long>("mlworkflow.serving.requests", "{request}", "/invocations calls, by status code and model version.");

    internal static Counter<long> Rows { get; } = Meter.CreateCounter<long>("mlworkflow.serving.rows", "{row}", "Rows scored.");

    internal static Histogram<double> Duration { get; } = Meter.CreateHistogram<double>("mlworkflow.serving.duration", "s", "Seconds per /invocations call, body read included.");

    internal static Counter<long> Swaps { get; } = Meter.CreateCounter<long>("mlworkflow.serving.swaps", "{swap}", "Model versions swapped in by following the registry.");
}
