namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>A <c>Param</c>, <c>RunTag</c>, <c>ExperimentTag</c> or <c>InputTag</c> message.</summary>
public sealed class KeyValueMessage
{
    /// <summary>The <c>key</c> field.</summary>
    public string? Key { get; set; }

    /// <summary>The <c>value</c> field.</summary>
    public string? Value { get; set; }
}
