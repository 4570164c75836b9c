using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// A message of MLflow's model registry endpoints (https://mlflow.org/docs/latest/rest-api.html).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>A <c>RegisteredModelAlias</c> message: <c>{"alias": "champion", "version": "3"}</c>.</summary>
public sealed class RegisteredModelAliasMessage
{
    /// <summary>The <c>alias</c> field.</summary>
    public string? Alias { get; set; }

    /// <summary>The <c>version</c> field.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Version { get; set; }
}
