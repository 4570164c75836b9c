namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The empty message <c>{}</c>.</summary>
public sealed class EmptyMessage
{
    /// <summary>The one instance (the message has no fields).</summary>
    public static EmptyMessage Instance { get; } = new();
}
