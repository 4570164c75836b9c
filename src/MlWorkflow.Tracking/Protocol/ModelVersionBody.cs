using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// A message of MLflow's model registry endpoints (https://mlflow.org/docs/latest/rest-api.html).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>The body of <c>model-versions/update</c> (PATCH) and <c>model-versions/delete</c> (DELETE).</summary>
public sealed class ModelVersionBody
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; set; }

    /// <summary>The <c>version</c> field.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Version { get; set; }

    /// <summary>The <c>description</c> field.</summary>
    public string? Description { get; set; }
}
