namespace MlWorkflow.Tracking.Registry;

/// <summary>What a model URI names.</summary>
public enum ModelUriKind
{
    /// <summary><c>models:/Name/3</c>: a version by number.</summary>
    ModelVersion,

    /// <summary><c>models:/Name/Production</c>: the highest version in a stage.</summary>
    ModelStage,

    /// <summary><c>models:/Name/latest</c>: the highest version in any stage.</summary>
    LatestModelVersion,

    /// <summary><c>models:/Name@champion</c>: the version an alias points to.</summary>
    ModelAlias,

    /// <summary><c>runs:/&lt;run id&gt;/&lt;path&gt;</c>: a path under a run's artifact root.</summary>
    RunArtifact,

    /// <summary>A concrete location: a <c>file:</c> URI, a plain path, or a URI of another scheme (<c>mlflow-artifacts:</c>, <c>s3:</c>…).</summary>
    Location,
}
