using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// A message of MLflow's model registry endpoints (https://mlflow.org/docs/latest/rest-api.html).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>A <c>ModelVersion</c> message; <c>current_stage</c> is the word <c>None</c>, <c>Staging</c>, <c>Production</c> or <c>Archived</c>.</summary>
public sealed class ModelVersionMessage
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; set; }

    /// <summary>The <c>version</c> field.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Version { get; set; }

    /// <summary>The <c>creation_timestamp</c> field.</summary>
    public long? CreationTimestamp { get; set; }

    /// <summary>The <c>last_updated_timestamp</c> field.</summary>
    public long? LastUpdatedTimestamp { get; set; }

    /// <summary>The <c>user_id</c> field.</summary>
    public string? UserId { get; set; }

    /// <summary>The <c>current_stage</c> field.</summary>
    public string? CurrentStage { get; set; }

    /// <summary>The <c>description</c> field.</summary>
    public string? Description { get; set; }

    /// <summary>The <c>source</c> field.</summary>
    public string? Source { get; set; }

    /// <summary>The <c>run_id</c> field.</summary>
    public string? RunId { get; set; }

    /// <summary>The <c>status</c> field.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Status { get; set; }

    /// <summary>The <c>status_message</c> field.</summary>
    public string? StatusMessage { get; set; }

    /// <summary>The <c>tags</c> field.</summary>
    public List<KeyValueMessage>? Tags { get; set; }

    /// <summary>The <c>run_link</c> field.</summary>
    public string? RunLink { get; set; }

    /// <summary>The <c>aliases</c> field.</summary>
    public List<string>? Aliases { get; set; }
}
