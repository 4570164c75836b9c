namespace MlWorkflow.Tracking.Protocol;

/// <summary>Converts between the tracking entities and their REST messages, both ways (used by the client and the server).</summary>
public static class RestMapping
{
    /// <summary>The wire word of a lifecycle stage: <c>active</c> or <c>deleted</c>.</summary>
    public static string ToWire(LifecycleStage stage) => stage == LifecycleStage.Deleted ? "deleted" : "active";

    /// <summary>Reads a lifecycle stage word; anything but <c>deleted</c> (any case) is <see cref="LifecycleStage.Active"/>.</summary>
    public static LifecycleStage ParseLifecycleStage(string? text) =>
        string.Equals(text, "deleted", StringComparison.OrdinalIgnoreCase) ? LifecycleStage.Deleted : LifecycleStage.Active;

    /// <summary>The wire name of a run status (<c>RUNNING</c>, <c>FINISHED</c>...).</summary>
    /// <exception cref="MlflowException">The value is not a defined status.</exception>
    public static string ToWire(RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Scheduled => "SCHEDULED",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => throw MlflowException.InvalidParameter($"Invalid run status {(int)status}."),
    };

    /// <summary>Reads a run status by name (any case) or by proto number (1 to 5).</summary>
    /// <exception cref="MlflowException">The text is not a status (<see cref="ErrorCode.InvalidParameterValue"/>).</exception>
    public static RunStatus ParseRunStatus(string? text) => text?.ToUpperInvariant() switch
    {
        "RUNNING" or "1" => RunStatus.Running,
        "SCHEDULED" or "2" => RunStatus.Scheduled,
        "FINISHED" or "3" => RunStatus.Finished,
        "FAILED" or "4" => RunStatus.Failed,
        "KILLED" or "5" => RunStatus.Killed,
        _ => throw MlflowException.InvalidParameter($"Invalid value \"{text}\" for parameter 'status' supplied: expected RUNNING, SCHEDULED, FINISHED, FAILED or KILLED."),
    };

    /// <summary>The wire name of a view type (<c>ACTIVE_ONLY</c>, <c>DELETED_ONLY</c>, <c>ALL</c>).</summary>
    /// <exception cref="MlflowException">The value is not a defined view type.</exception>
    public static string ToWire(ViewType viewType) => viewType switch
    {
        ViewType.ActiveOnly => "ACTIVE_ONLY",
        ViewType.DeletedOnly => "DELETED_ONLY",
        ViewType.All => "ALL",
        _ => throw MlflowException.InvalidParameter($"Invalid view type {(int)viewType}."),
    };

    /// <summary>Reads a view type by name (any case) or by proto number; null or empty is <see cref="ViewType.ActiveOnly"/>.</summary>
    /// <param name="text">The wire text.</param>
    /// <param name="parameter">The request parameter named in the error.</param>
    /// <exception cref="MlflowException">The text is not a view type (<see cref="ErrorCode.InvalidParameterValue"/>).</exception>
    public static ViewType ParseViewType(string? text, string parameter) => text?.ToUpperInvariant() switch
    {
        null or "" => ViewType.ActiveOnly,
        "ACTIVE_ONLY" or "1" => ViewType.ActiveOnly,
        "DELETED_ONLY" or "2" => ViewType.DeletedOnly,
        "ALL" or "3" => ViewType.All,
        _ => throw MlflowException.InvalidParameter($"Invalid value \"{text}\" for parameter '{parameter}' supplied: expected ACTIVE_ONLY, DELETED_ONLY or ALL."),
    };

    /// <summary>The message of an experiment (empty tag lists are omitted).</summary>
    public static ExperimentMessage ToMessage(Experiment experiment) => new()
    {
        ExperimentId = experiment.ExperimentId,
        Name = experiment.Name,
        ArtifactLocation = experiment.ArtifactLocation,
        LifecycleStage = ToWire(experiment.LifecycleStage),
        LastUpdateTime = experiment.LastUpdateTime,
        CreationTime = experiment.CreationTime,
        Tags = NullIfEmpty(experiment.Tags.Select(t => new KeyValueMessage { Key = t.Key, Value = t.Value })),
    };

    /// <summary>The experiment of a message; missing text becomes empty.</summary>
    public static Experiment ToEntity(ExperimentMessage message) => new(
        message.ExperimentId ?? string.Empty,
        message.Name ?? string.Empty,
        message.ArtifactLocation ?? string.Empty,
        ParseLifecycleStage(message.LifecycleStage),
        message.CreationTime,
        message.LastUpdateTime,
        (message.Tags ?? []).Select(t => new ExperimentTag(t.Key ?? string.Empty, t.Value ?? string.Empty)).ToArray());

    /// <summary>The message of a metric value.</summary>
    public static MetricMessage ToMessage(Metric metric) => new()
    {
        Key = metric.Key,
        Value = metric.Value,
        Timestamp = metric.Timestamp,
        Step = metric.Step,
    };

    /// <summary>The metric value of a message; missing numbers become 0.</summary>
    public static Metric ToEntity(MetricMessage message) =>
        new(message.Key ?? string.Empty, message.Value ?? 0, message.Timestamp ?? 0, message.Step ?? 0);

    /// <summary>A key/value message (a param, tag or input tag).</summary>
    public static KeyValueMessage ToMessage(string key, string value) => new() { Key = key, Value = value };

    /// <summary>The message of a run's info, with the id in both <c>run_id</c> and the older <c>run_uuid</c>.</summary>
    public static RunInfoMessage ToMessage(RunInfo info) => new()
    {
        RunUuid = info.RunId,
        ExperimentId = info.ExperimentId,
        RunName = info.RunName,
        UserId = info.UserId,
        Status = ToWire(info.Status),
        StartTime = info.StartTime,
        EndTime = info.EndTime,
        ArtifactUri = info.ArtifactUri,
        LifecycleStage = ToWire(info.LifecycleStage),
        RunId = info.RunId,
    };

    /// <summary>The run info of a message (<c>run_id</c>, else <c>run_uuid</c>; a missing status is <see cref="RunStatus.Running"/>).</summary>
    public static RunInfo ToEntity(RunInfoMessage message) => new(
        message.RunId ?? message.RunUuid ?? string.Empty,
        message.ExperimentId ?? string.Empty,
        message.RunName ?? string.Empty,
        message.UserId ?? string.Empty,
        message.Status is null ? RunStatus.Running : ParseRunStatus(message.Status),
        message.StartTime ?? 0,
        message.EndTime,
        message.ArtifactUri ?? string.Empty,
        ParseLifecycleStage(message.LifecycleStage));

    /// <summary>The message of a run: info, data and inputs.</summary>
    public static RunMessage ToMessage(Run run) => new()
    {
        Info = ToMessage(run.Info),
        Data = new RunDataMessage
        {
            Metrics = NullIfEmpty(run.Data.Metrics.Select(ToMessage)),
            Params = NullIfEmpty(run.Data.Params.Select(p => ToMessage(p.Key, p.Value))),
            Tags = NullIfEmpty(run.Data.Tags.Select(t => ToMessage(t.Key, t.Value))),
        },
        Inputs = new RunInputsMessage { DatasetInputs = NullIfEmpty(run.Inputs.DatasetInputs.Select(ToMessage)) },
    };

    /// <summary>The run of a message; missing parts become empty.</summary>
    public static Run ToEntity(RunMessage message)
    {
        var data = message.Data;
        return new Run(
            ToEntity(message.Info ?? new RunInfoMessage()),
            new RunData(
                (data?.Metrics ?? []).Select(ToEntity).ToArray(),
                (data?.Params ?? []).Select(p => new Param(p.Key ?? string.Empty, p.Value ?? string.Empty)).ToArray(),
                (data?.Tags ?? []).Select(t => new RunTag(t.Key ?? string.Empty, t.Value ?? string.Empty)).ToArray()),
            new RunInputs((message.Inputs?.DatasetInputs ?? []).Select(ToEntity).ToArray()));
    }

    /// <summary>The message of a dataset input.</summary>
    public static DatasetInputMessage ToMessage(DatasetInput input) => new()
    {
        Tags = NullIfEmpty(input.Tags.Select(t => ToMessage(t.Key, t.Value))),
        Dataset = new DatasetMessage
        {
            Name = input.Dataset.Name,
            Digest = input.Dataset.Digest,
            SourceType = input.Dataset.SourceType,
            Source = input.Dataset.Source,
            Schema = input.Dataset.Schema,
            Profile = input.Dataset.Profile,
        },
    };

    /// <summary>The dataset input of a message.</summary>
    /// <exception cref="MlflowException">The message has no <c>dataset</c>.</exception>
    public static DatasetInput ToEntity(DatasetInputMessage message)
    {
        var dataset = message.Dataset ?? throw MlflowException.InvalidParameter("Missing value for required parameter 'dataset'. See the API docs for more information about request parameters.");
        return new DatasetInput(
            new Dataset(dataset.Name ?? string.Empty, dataset.Digest ?? string.Empty, dataset.SourceType ?? string.Empty, dataset.Source ?? string.Empty, dataset.Schema, dataset.Profile),
            (message.Tags ?? []).Select(t => new InputTag(t.Key ?? string.Empty, t.Value ?? string.Empty)).ToArray());
    }

    /// <summary>The <c>FileInfo</c> message of an artifact at <paramref name="path"/> (no size for a folder).</summary>
    /// <param name="info">The artifact.</param>
    /// <param name="path">The path relative to the listed root, as the wire reports it.</param>
    public static FileInfoMessage ToMessage(ArtifactFileInfo info, string path) => new()
    {
        Path = path,
        IsDir = info.IsDirectory,
        FileSize = info.IsDirectory ? null : info.FileSize,
    };

    private static List<T>? NullIfEmpty<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? null : list;
    }
}
