using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>A <c>Metric</c> message; <c>value</c> may be the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.</summary>
[JsonConverter(typeof(MetricMessageJsonConverter))]
public sealed class MetricMessage
{
    /// <summary>The <c>key</c> field.</summary>
    public string? Key { get; set; }

    /// <summary>The <c>value</c> field.</summary>
    public double? Value { get; set; }

    /// <summary>The <c>timestamp</c> field.</summary>
    public long? Timestamp { get; set; }

    /// <summary>The <c>step</c> field.</summary>
    public long? Step { get; set; }
}
