namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The response of <c>experiments/get</c> and <c>experiments/get-by-name</c>.</summary>
public sealed class ExperimentResponse
{
    /// <summary>The <c>experiment</c> field.</summary>
    public ExperimentMessage? Experiment { get; set; }
}
