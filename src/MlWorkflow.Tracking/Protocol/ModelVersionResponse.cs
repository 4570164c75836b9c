namespace MlWorkflow.Tracking.Protocol;

// A message of MLflow's model registry endpoints (https://mlflow.org/docs/latest/rest-api.html).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>The answer of <c>model-versions/create</c>, <c>get</c>, <c>update</c>, <c>transition-stage</c> and <c>registered-models/alias</c> (GET).</summary>
public sealed class ModelVersionResponse
{
    /// <summary>The <c>model_version</c> field.</summary>
    public ModelVersionMessage? ModelVersion { get; set; }
}
