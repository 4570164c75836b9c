namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The request body of <c>runs/delete</c> and <c>runs/restore</c>; <c>run_uuid</c> is the older name of <c>run_id</c>.</summary>
public sealed class RunIdBody
{
    /// <summary>The <c>run_id</c> field.</summary>
    public string? RunId { get; set; }

    /// <summary>The <c>run_uuid</c> field.</summary>
    public string? RunUuid { get; set; }
}
