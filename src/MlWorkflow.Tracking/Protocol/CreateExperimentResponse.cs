namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The response of <c>experiments/create</c>: the new experiment's id.</summary>
public sealed class CreateExperimentResponse
{
    /// <summary>The <c>experiment_id</c> field.</summary>
    public string? ExperimentId { get; set; }
}
