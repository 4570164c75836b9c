namespace MlWorkflow.Tracking;

/// <summary>Whether an experiment or run is live or soft-deleted, as MLflow names it (<c>active</c>, <c>deleted</c>).</summary>
public enum LifecycleStage
{
    /// <summary>The entity is live (<c>active</c>).</summary>
    Active,

    /// <summary>The entity was soft-deleted and can be restored (<c>deleted</c>).</summary>
    Deleted,
}
