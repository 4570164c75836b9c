using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// Request and response bodies of the tracking endpoints (shared/docs/mlflow-protocol.md 1.5).

internal sealed class CreateExperimentBody
{
    public string? Name { get; set; }

    public string? ArtifactLocation { get; set; }

    public List<KeyValueMessage>? Tags { get; set; }
}

internal sealed class CreateExperimentResponse
{
    public string? ExperimentId { get; set; }
}

internal sealed class ExperimentResponse
{
    public ExperimentMessage? Experiment { get; set; }
}

internal sealed class SearchExperimentsBody
{
    public long? MaxResults { get; set; }

    public string? PageToken { get; set; }

    public string? Filter { get; set; }

    public List<string>? OrderBy { get; set; }

    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? ViewType { get; set; }
}

internal sealed class SearchExperimentsResponse
{
    public List<ExperimentMessage>? Experiments { get; set; }

    public string? NextPageToken { get; set; }
}

internal sealed class UpdateExperimentBody
{
    public string? ExperimentId { get; set; }

    public string? NewName { get; set; }
}

internal sealed class ExperimentIdBody
{
    public string? ExperimentId { get; set; }
}

internal sealed class SetExperimentTagBody
{
    public string? ExperimentId { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }
}

internal sealed class CreateRunBody
{
    public string? ExperimentId { get; set; }

    public string? UserId { get; set; }

    public string? RunName { get; set; }

    public long? StartTime { get; set; }

    public List<KeyValueMessage>? Tags { get; set; }
}

internal sealed class RunResponse
{
    public RunMessage? Run { get; set; }
}

internal sealed class UpdateRunBody
{
    public string? RunId { get; set; }

    public string? RunUuid { get; set; }

    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Status { get; set; }

    public long? EndTime { get; set; }

    public string? RunName { get; set; }
}

internal sealed class UpdateRunResponse
{
    public RunInfoMessage? RunInfo { get; set; }
}

internal sealed class RunIdBody
{
    public string? RunId { get; set; }

    public string? RunUuid { get; set; }
}

internal sealed class SearchRunsBody
{
    public List<string>? ExperimentIds { get; set; }

    public string? Filter { get; set; }

    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? RunViewType { get; set; }

    public int? MaxResults { get; set; }

    public List<string>? OrderBy { get; set; }

    public string? PageToken { get; set; }
}

internal sealed class SearchRunsResponse
{
    public List<RunMessage>? Runs { get; set; }

    public string? NextPageToken { get; set; }
}

internal sealed class LogBatchBody
{
    public string? RunId { get; set; }

    public List<MetricMessage>? Metrics { get; set; }

    public List<KeyValueMessage>? Params { get; set; }

    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary>The body of <c>log-metric</c>.</summary>
internal sealed class LogMetricBody
{
    public string? RunId { get; set; }

    public string? RunUuid { get; set; }

    public string? Key { get; set; }

    public double? Value { get; set; }

    public long? Timestamp { get; set; }

    public long? Step { get; set; }
}

/// <summary>The body of <c>log-parameter</c>, <c>set-tag</c> and <c>delete-tag</c>.</summary>
internal sealed class RunKeyValueBody
{
    public string? RunId { get; set; }

    public string? RunUuid { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }
}

internal sealed class LogInputsBody
{
    public string? RunId { get; set; }

    public List<DatasetInputMessage>? Datasets { get; set; }
}

internal sealed class LogModelBody
{
    public string? RunId { get; set; }

    public string? ModelJson { get; set; }
}

internal sealed class MetricHistoryResponse
{
    public List<MetricMessage>? Metrics { get; set; }

    public string? NextPageToken { get; set; }
}

internal sealed class ListArtifactsResponse
{
    public string? RootUri { get; set; }

    public List<FileInfoMessage>? Files { get; set; }

    public string? NextPageToken { get; set; }
}
