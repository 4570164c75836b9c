namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>A <c>Run</c> message.</summary>
public sealed class RunMessage
{
    /// <summary>The <c>info</c> field.</summary>
    public RunInfoMessage? Info { get; set; }

    /// <summary>The <c>data</c> field.</summary>
    public RunDataMessage? Data { get; set; }

    /// <summary>The <c>inputs</c> field.</summary>
    public RunInputsMessage? Inputs { get; set; }
}
