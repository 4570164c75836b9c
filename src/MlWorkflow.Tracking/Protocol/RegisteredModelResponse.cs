namespace MlWorkflow.Tracking.Protocol;

// A message of MLflow's model registry endpoints (https://mlflow.org/docs/latest/rest-api.html).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>The answer of <c>registered-models/create</c>, <c>get</c>, <c>rename</c> and <c>update</c>.</summary>
public sealed class RegisteredModelResponse
{
    /// <summary>The <c>registered_model</c> field.</summary>
    public RegisteredModelMessage? RegisteredModel { get; set; }
}
