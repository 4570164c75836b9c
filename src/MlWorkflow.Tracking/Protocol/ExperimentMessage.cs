namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>An <c>Experiment</c> message.</summary>
public sealed class ExperimentMessage
{
    /// <summary>The <c>experiment_id</c> field.</summary>
    public string? ExperimentId { get; set; }

    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; set; }

    /// <summary>The <c>artifact_location</c> field.</summary>
    public string? ArtifactLocation { get; set; }

    /// <summary>The <c>lifecycle_stage</c> field.</summary>
    public string? LifecycleStage { get; set; }

    /// <summary>The <c>last_update_time</c> field.</summary>
    public long? LastUpdateTime { get; set; }

    /// <summary>The <c>creation_time</c> field.</summary>
    public long? CreationTime { get; set; }

    /// <summary>The <c>tags</c> field.</summary>
    public List<KeyValueMessage>? Tags { get; set; }
}
