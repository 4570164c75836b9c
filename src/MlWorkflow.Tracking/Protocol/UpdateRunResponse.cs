namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The response of <c>runs/update</c>: the run's updated info.</summary>
public sealed class UpdateRunResponse
{
    /// <summary>The <c>run_info</c> field.</summary>
    public RunInfoMessage? RunInfo { get; set; }
}
