using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The request body of <c>POST /api/2.0/mlflow/runs/log-model</c>: the MLmodel file as JSON text.</summary>
public sealed class LogModelBody
{
    /// <summary>The <c>run_id</c> field.</summary>
    public string? RunId { get; set; }

    /// <summary>The <c>model_json</c> field.</summary>
    public string? ModelJson { get; set; }
}
