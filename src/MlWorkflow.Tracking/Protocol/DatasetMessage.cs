namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>A <c>Dataset</c> message.</summary>
public sealed class DatasetMessage
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; set; }

    /// <summary>The <c>digest</c> field.</summary>
    public string? Digest { get; set; }

    /// <summary>The <c>source_type</c> field.</summary>
    public string? SourceType { get; set; }

    /// <summary>The <c>source</c> field.</summary>
    public string? Source { get; set; }

    /// <summary>The <c>schema</c> field.</summary>
    public string? Schema { get; set; }

    /// <summary>The <c>profile</c> field.</summary>
    public string? Profile { get; set; }
}
