using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The request body of <c>POST /api/2.0/mlflow/runs/update</c>; <c>status</c> is the enum name (a number is accepted on input).</summary>
public sealed class UpdateRunBody
{
    /// <summary>The <c>run_id</c> field.</summary>
    public string? RunId { get; set; }

    /// <summary>The <c>run_uuid</c> field.</summary>
    public string? RunUuid { get; set; }

    /// <summary>The <c>status</c> field.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Status { get; set; }

    /// <summary>The <c>end_time</c> field.</summary>
    public long? EndTime { get; set; }

    /// <summary>The <c>run_name</c> field.</summary>
    public string? RunName { get; set; }
}
