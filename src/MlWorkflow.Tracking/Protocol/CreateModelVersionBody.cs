namespace MlWorkflow.Tracking.Protocol;

// A message of MLflow's model registry endpoints (https://mlflow.org/docs/latest/rest-api.html).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>The body of <c>model-versions/create</c>.</summary>
public sealed class CreateModelVersionBody
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; set; }

    /// <summary>The <c>source</c> field.</summary>
    public string? Source { get; set; }

    /// <summary>The <c>run_id</c> field.</summary>
    public string? RunId { get; set; }

    /// <summary>The <c>tags</c> field.</summary>
    public List<KeyValueMessage>? Tags { get; set; }

    /// <summary>The <c>run_link</c> field.</summary>
    public string? RunLink { get; set; }

    /// <summary>The <c>description</c> field.</summary>
    public string? Description { get; set; }
}
