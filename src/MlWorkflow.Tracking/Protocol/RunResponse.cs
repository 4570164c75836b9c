namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The response of <c>runs/create</c> and <c>runs/get</c>.</summary>
public sealed class RunResponse
{
    /// <summary>The <c>run</c> field.</summary>
    public RunMessage? Run { get; set; }
}
