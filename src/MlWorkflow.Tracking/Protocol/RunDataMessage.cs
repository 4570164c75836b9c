namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>A <c>RunData</c> message.</summary>
public sealed class RunDataMessage
{
    /// <summary>The <c>metrics</c> field.</summary>
    public List<MetricMessage>? Metrics { get; set; }

    /// <summary>The <c>params</c> field.</summary>
    public List<KeyValueMessage>? Params { get; set; }

    /// <summary>The <c>tags</c> field.</summary>
    public List<KeyValueMessage>? Tags { get; set; }
}
