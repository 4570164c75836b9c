namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The request body of <c>POST /api/2.0/mlflow/experiments/update</c> (a rename).</summary>
public sealed class UpdateExperimentBody
{
    /// <summary>The <c>experiment_id</c> field.</summary>
    public string? ExperimentId { get; set; }

    /// <summary>The <c>new_name</c> field.</summary>
    public string? NewName { get; set; }
}
