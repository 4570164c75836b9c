namespace MlWorkflow.Tracking.Protocol;

// A message of MLflow's model registry endpoints (https://mlflow.org/docs/latest/rest-api.html).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>A <c>RegisteredModel</c> message.</summary>
public sealed class RegisteredModelMessage
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; set; }

    /// <summary>The <c>creation_timestamp</c> field.</summary>
    public long? CreationTimestamp { get; set; }

    /// <summary>The <c>last_updated_timestamp</c> field.</summary>
    public long? LastUpdatedTimestamp { get; set; }

    /// <summary>The <c>user_id</c> field.</summary>
    public string? UserId { get; set; }

    /// <summary>The <c>description</c> field.</summary>
    public string? Description { get; set; }

    /// <summary>The <c>latest_versions</c> field.</summary>
    public List<ModelVersionMessage>? LatestVersions { get; set; }

    /// <summary>The <c>tags</c> field.</summary>
    public List<KeyValueMessage>? Tags { get; set; }

    /// <summary>The <c>aliases</c> field.</summary>
    public List<RegisteredModelAliasMessage>? Aliases { get; set; }
}
