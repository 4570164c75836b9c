namespace MlWorkflow.Tracking.Registry;

/// <summary>
/// The stage of a model version (MLflow's <c>current_stage</c>); the member names are the wire words
/// (<c>None</c>, <c>Staging</c>, <c>Production</c>, <c>Archived</c>). See <see cref="ModelVersionStages"/> to parse and print them.
/// </summary>
/// <remarks>MLflow deprecated stages in 2.9 in favour of aliases; both are supported here.</remarks>
public enum ModelVersionStage
{
    /// <summary><c>None</c>: the stage of every new version.</summary>
    None,

    /// <summary><c>Staging</c>: under validation.</summary>
    Staging,

    /// <summary><c>Production</c>: serving.</summary>
    Production,

    /// <summary><c>Archived</c>: retired, kept for history.</summary>
    Archived,
}
