using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>A <c>RunInfo</c> message; <c>status</c> is the enum name (a number is accepted on input).</summary>
public sealed class RunInfoMessage
{
    /// <summary>The <c>run_id</c> field.</summary>
    public string? RunId { get; set; }

    /// <summary>The <c>run_uuid</c> field.</summary>
    public string? RunUuid { get; set; }

    /// <summary>The <c>run_name</c> field.</summary>
    public string? RunName { get; set; }

    /// <summary>The <c>experiment_id</c> field.</summary>
    public string? ExperimentId { get; set; }

    /// <summary>The <c>user_id</c> field.</summary>
    public string? UserId { get; set; }

    /// <summary>The <c>status</c> field.</summary>
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Status { get; set; }

    /// <summary>The <c>start_time</c> field.</summary>
    public long? StartTime { get; set; }

    /// <summary>The <c>end_time</c> field.</summary>
    public long? EndTime { get; set; }

    /// <summary>The <c>artifact_uri</c> field.</summary>
    public string? ArtifactUri { get; set; }

    /// <summary>The <c>lifecycle_stage</c> field.</summary>
    public string? LifecycleStage { get; set; }
}
