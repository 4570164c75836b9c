using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (REST API 2.0, shared/docs/mlflow-protocol.md 1.4).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>An <c>Experiment</c> message.</summary>
internal sealed class ExperimentMessage
{
    public string? ExperimentId { get; set; }

    public string? Name { get; set; }

    public string? ArtifactLocation { get; set; }

    public string? LifecycleStage { get; set; }

    public long? LastUpdateTime { get; set; }

    public long? CreationTime { get; set; }

    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary>A <c>Param</c>, <c>RunTag</c>, <c>ExperimentTag</c> or <c>InputTag</c> message.</summary>
internal sealed class KeyValueMessage
{
    public string? Key { get; set; }

    public string? Value { get; set; }
}

/// <summary>A <c>Metric</c> message; <c>value</c> may be the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.</summary>
[JsonConverter(typeof(MetricMessageJsonConverter))]
internal sealed class MetricMessage
{
    public string? Key { get; set; }

    public double? Value { get; set; }

    public long? Timestamp { get; set; }

    public long? Step { get; set; }
}

/// <summary>A <c>RunInfo</c> message; <c>status</c> is the enum name (a number is accepted on input).</summary>
internal sealed class RunInfoMessage
{
    public string? RunId { get; set; }

    public string? RunUuid { get; set; }

    public string? RunName { get; set; }

    public string? ExperimentId { get; set; }

    public string? UserId { get; set; }

    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Status { get; set; }

    public long? StartTime { get; set; }

    public long? EndTime { get; set; }

    public string? ArtifactUri { get; set; }

    public string? LifecycleStage { get; set; }
}

/// <summary>A <c>RunData</c> message.</summary>
internal sealed class RunDataMessage
{
    public List<MetricMessage>? Metrics { get; set; }

    public List<KeyValueMessage>? Params { get; set; }

    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary>A <c>RunInputs</c> message (always present in a run, <c>{}</c> when empty).</summary>
internal sealed class RunInputsMessage
{
    public List<DatasetInputMessage>? DatasetInputs { get; set; }
}

/// <summary>A <c>DatasetInput</c> message.</summary>
internal sealed class DatasetInputMessage
{
    public List<KeyValueMessage>? Tags { get; set; }

    public DatasetMessage? Dataset { get; set; }
}

/// <summary>A <c>Dataset</c> message.</summary>
internal sealed class DatasetMessage
{
    public string? Name { get; set; }

    public string? Digest { get; set; }

    public string? SourceType { get; set; }

    public string? Source { get; set; }

    public string? Schema { get; set; }

    public string? Profile { get; set; }
}

/// <summary>A <c>Run</c> message.</summary>
internal sealed class RunMessage
{
    public RunInfoMessage? Info { get; set; }

    public RunDataMessage? Data { get; set; }

    public RunInputsMessage? Inputs { get; set; }
}

/// <summary>A <c>FileInfo</c> message (<c>file_size</c> omitted for folders).</summary>
internal sealed class FileInfoMessage
{
    public string? Path { get; set; }

    public bool? IsDir { get; set; }

    public long? FileSize { get; set; }
}

/// <summary>An error body: <c>{"error_code": "...", "message": "..."}</c>; <c>error_code</c> may be a number (an HTTP status).</summary>
internal sealed class ErrorMessage
{
    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? ErrorCode { get; set; }

    public string? Message { get; set; }
}

/// <summary>The empty message <c>{}</c>.</summary>
internal sealed class EmptyMessage
{
    public static EmptyMessage Instance { get; } = new();
}
