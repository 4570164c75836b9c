namespace MlWorkflow.Tracking.Protocol;

// A request or response body of a tracking endpoint (https://mlflow.org/docs/latest/rest-api.html).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>The request body of <c>POST /api/2.0/mlflow/experiments/create</c>.</summary>
public sealed class CreateExperimentBody
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; set; }

    /// <summary>The <c>artifact_location</c> field.</summary>
    public string? ArtifactLocation { get; set; }

    /// <summary>The <c>tags</c> field.</summary>
    public List<KeyValueMessage>? Tags { get; set; }
}
