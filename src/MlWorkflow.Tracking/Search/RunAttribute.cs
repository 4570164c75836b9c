namespace MlWorkflow.Tracking.Search;

/// <summary>The run attributes a search reads.</summary>
internal enum RunAttribute
{
    /// <summary><c>run_id</c>.</summary>
    RunId,

    /// <summary><c>run_name</c>.</summary>
    RunName,

    /// <summary><c>status</c>, as MLflow spells it (<c>FINISHED</c>).</summary>
    Status,

    /// <summary><c>user_id</c>.</summary>
    UserId,

    /// <summary><c>artifact_uri</c>.</summary>
    ArtifactUri,

    /// <summary><c>start_time</c>.</summary>
    StartTime,

    /// <summary><c>end_time</c>.</summary>
    EndTime,
}

/// <summary>Reads run attributes by <see cref="RunAttribute"/> without allocating.</summary>
internal static class RunAttributes
{
    /// <summary>The attribute of a canonical field name from <see cref="SearchGrammars.Runs"/>.</summary>
    public static RunAttribute FromField(string field) => field switch
    {
        "run_id" => RunAttribute.RunId,
        "run_name" => RunAttribute.RunName,
        "status" => RunAttribute.Status,
        "user_id" => RunAttribute.UserId,
        "artifact_uri" => RunAttribute.ArtifactUri,
        "start_time" => RunAttribute.StartTime,
        "end_time" => RunAttribute.EndTime,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a run attribute."),
    };

    /// <summary>Whether the attribute is a time (numeric).</summary>
    public static bool IsNumeric(RunAttribute attribute) => attribute is RunAttribute.StartTime or RunAttribute.EndTime;

    /// <summary>A text attribute's value.</summary>
    public static string GetText(RunInfo info, RunAttribute attribute) => attribute switch
    {
        RunAttribute.RunId => info.RunId,
        RunAttribute.RunName => info.RunName,
        RunAttribute.Status => StatusName(info.Status),
        RunAttribute.UserId => info.UserId,
        RunAttribute.ArtifactUri => info.ArtifactUri,
        _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute, "Not a text attribute."),
    };

    /// <summary>A time attribute's value; null for an unset end time.</summary>
    public static long? GetNumber(RunInfo info, RunAttribute attribute) =>
        attribute == RunAttribute.StartTime ? info.StartTime : info.EndTime;

    /// <summary>MLflow's name of a status.</summary>
    public static string StatusName(RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Scheduled => "SCHEDULED",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => status.ToString().ToUpperInvariant(),
    };
}
