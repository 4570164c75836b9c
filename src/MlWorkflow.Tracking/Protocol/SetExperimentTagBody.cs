namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The request body of <c>POST /api/2.0/mlflow/experiments/set-experiment-tag</c>.</summary>
public sealed class SetExperimentTagBody
{
    /// <summary>The <c>experiment_id</c> field.</summary>
    public string? ExperimentId { get; set; }

    /// <summary>The <c>key</c> field.</summary>
    public string? Key { get; set; }

    /// <summary>The <c>value</c> field.</summary>
    public string? Value { get; set; }
}
