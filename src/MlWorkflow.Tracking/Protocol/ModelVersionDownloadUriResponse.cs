namespace MlWorkflow.Tracking.Protocol;

// A message of MLflow's model registry endpoints (https://mlflow.org/docs/latest/rest-api.html).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>The answer of <c>model-versions/get-download-uri</c>.</summary>
public sealed class ModelVersionDownloadUriResponse
{
    /// <summary>The <c>artifact_uri</c> field.</summary>
    public string? ArtifactUri { get; set; }
}
