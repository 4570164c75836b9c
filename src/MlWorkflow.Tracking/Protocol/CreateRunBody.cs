namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The request body of <c>POST /api/2.0/mlflow/runs/create</c>.</summary>
public sealed class CreateRunBody
{
    /// <summary>The <c>experiment_id</c> field.</summary>
    public string? ExperimentId { get; set; }

    /// <summary>The <c>user_id</c> field.</summary>
    public string? UserId { get; set; }

    /// <summary>The <c>run_name</c> field.</summary>
    public string? RunName { get; set; }

    /// <summary>The <c>start_time</c> field.</summary>
    public long? StartTime { get; set; }

    /// <summary>The <c>tags</c> field.</summary>
    public List<KeyValueMessage>? Tags { get; set; }
}
