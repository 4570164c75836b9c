using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>An error body: <c>{"error_code": "...", "message": "..."}</c>; <c>error_code</c> may be a number (an HTTP status).</summary>
public sealed class ErrorMessage
{
    /// <summary>The <c>error_code</c> field.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? ErrorCode { get; set; }

    /// <summary>The <c>message</c> field.</summary>
    public string? Message { get; set; }
}
