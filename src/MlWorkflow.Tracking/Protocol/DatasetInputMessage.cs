namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>A <c>DatasetInput</c> message.</summary>
public sealed class DatasetInputMessage
{
    /// <summary>The <c>tags</c> field.</summary>
    public List<KeyValueMessage>? Tags { get; set; }

    /// <summary>The <c>dataset</c> field.</summary>
    public DatasetMessage? Dataset { get; set; }
}
