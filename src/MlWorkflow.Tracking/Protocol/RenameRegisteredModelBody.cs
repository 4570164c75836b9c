namespace MlWorkflow.Tracking.Protocol;

// A message of MLflow's model registry endpoints (https://mlflow.org/docs/latest/rest-api.html).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>The body of <c>registered-models/rename</c>.</summary>
public sealed class RenameRegisteredModelBody
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; set; }

    /// <summary>The <c>new_name</c> field.</summary>
    public string? NewName { get; set; }
}
