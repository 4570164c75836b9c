namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>A <c>RunInputs</c> message (always present in a run, <c>{}</c> when empty).</summary>
public sealed class RunInputsMessage
{
    /// <summary>The <c>dataset_inputs</c> field.</summary>
    public List<DatasetInputMessage>? DatasetInputs { get; set; }
}
