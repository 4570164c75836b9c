namespace MlWorkflow.Tracking.Registry;

/// <summary>Converts <see cref="ModelVersionStage"/> and <see cref="ModelVersionStatus"/> values to and from MLflow's wire words.</summary>
public static class ModelVersionStages
{
    /// <summary>Every stage, in MLflow's order: <c>None</c>, <c>Staging</c>, <c>Production</c>, <c>Archived</c>.</summary>
    public static IReadOnlyList<ModelVersionStage> All { get; } =
        [ModelVersionStage.None, ModelVersionStage.Staging, ModelVersionStage.Production, ModelVersionStage.Archived];

    /// <summary>The wire word of a stage: <c>None</c>, <c>Staging</c>, <c>Production</c> or <c>Archived</c>.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The word MLflow writes in <c>current_stage</c>.</returns>
    public static string ToWireName(this ModelVersionStage stage) => stage switch
    {
        ModelVersionStage.None => "None",
        ModelVersionStage.Staging => "Staging",
        ModelVersionStage.Production => "Production",
        ModelVersionStage.Archived => "Archived",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Not a model version stage."),
    };

    /// <summary>Parses a stage case-insensitively (<c>production</c> → <see cref="ModelVersionStage.Production"/>), as MLflow canonicalises it.</summary>
    /// <param name="text">The stage word.</param>
    /// <returns>The stage.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for any other word.</exception>
    public static ModelVersionStage Parse(string? text) =>
        TryParse(text, out var stage)
            ? stage
            : throw MlflowException.InvalidParameter($"Invalid Model Version stage: '{text}'. Value must be one of None, Staging, Production, Archived.");

    /// <summary>Parses a stage case-insensitively.</summary>
    /// <param name="text">The stage word.</param>
    /// <param name="stage">The stage, when the word is one.</param>
    /// <returns>Whether the word is a stage.</returns>
    public static bool TryParse(string? text, out ModelVersionStage stage)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, candidate.ToWireName(), StringComparison.OrdinalIgnoreCase))
            {
                stage = candidate;
                return true;
            }
        }

        stage = ModelVersionStage.None;
        return false;
    }

    /// <summary>
    /// MLflow's latest versions: in each of <paramref name="stages"/> (in their order, each once), the highest of
    /// <paramref name="versions"/> whose stage word is that stage; stages with none are left out. The file and SQL stores share it.
    /// </summary>
    internal static List<T> LatestPerStage<T>(IEnumerable<T> versions, Func<T, string?> stage, Func<T, int> version, IReadOnlyList<ModelVersionStage> stages)
    {
        var latest = new Dictionary<ModelVersionStage, T>();
        foreach (var candidate in versions)
        {
            if (TryParse(stage(candidate), out var parsed) && (!latest.TryGetValue(parsed, out var held) || version(candidate) > version(held)))
            {
                latest[parsed] = candidate;
            }
        }

        var result = new List<T>();
        foreach (var wanted in stages.Distinct())
        {
            if (latest.TryGetValue(wanted, out var found))
            {
                result.Add(found);
            }
        }

        return result;
    }

    /// <summary>The wire word of a status: <c>PENDING_REGISTRATION</c>, <c>FAILED_REGISTRATION</c> or <c>READY</c>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The word MLflow writes in <c>status</c>.</returns>
    public static string ToWireName(this ModelVersionStatus status) => status switch
    {
        ModelVersionStatus.PendingRegistration => "PENDING_REGISTRATION",
        ModelVersionStatus.FailedRegistration => "FAILED_REGISTRATION",
        ModelVersionStatus.Ready => "READY",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a model version status."),
    };

    /// <summary>Parses a status wire word (<c>READY</c>…), case-insensitively.</summary>
    /// <param name="text">The status word.</param>
    /// <returns>The status.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for any other word.</exception>
    public static ModelVersionStatus ParseStatus(string? text)
    {
        foreach (var status in (ReadOnlySpan<ModelVersionStatus>)[ModelVersionStatus.PendingRegistration, ModelVersionStatus.FailedRegistration, ModelVersionStatus.Ready])
        {
            if (string.Equals(text, status.ToWireName(), StringComparison.OrdinalIgnoreCase))
            {
                return status;
            }
        }

        throw MlflowException.InvalidParameter($"Invalid model version status: '{text}'. Value must be one of PENDING_REGISTRATION, FAILED_REGISTRATION, READY.");
    }
}
