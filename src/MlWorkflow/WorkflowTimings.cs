namespace MlWorkflow;

/// <summary>How long each stage of a workflow run took.</summary>
/// <param name="Load">Loading the data.</param>
/// <param name="Validate">Checking the workflow against the schema.</param>
/// <param name="Train">Fitting (label preparation, features, trainer; every fold under cross-validation).</param>
/// <param name="Evaluate">Scoring and metrics (and feature importance).</param>
/// <param name="Plots">Drawing the plots.</param>
/// <param name="Total">The whole run, observers included.</param>
public sealed record WorkflowTimings(TimeSpan Load, TimeSpan Validate, TimeSpan Train, TimeSpan Evaluate, TimeSpan Plots, TimeSpan Total);
