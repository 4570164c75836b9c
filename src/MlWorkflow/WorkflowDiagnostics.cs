using System.Diagnostics;

namespace MlWorkflow;

/// <summary>
/// The names under which workflow runs are traced, for OpenTelemetry (<c>AddSource("MlWorkflow")</c>) or an
/// <see cref="ActivityListener"/>. A run is one <see cref="RunActivity"/> activity whose children are the stages:
/// <see cref="LoadActivity"/>, <see cref="FeaturesActivity"/>, <see cref="FitActivity"/>, <see cref="EvaluateActivity"/>
/// and <see cref="PlotsActivity"/> (features, fit and evaluate repeat once per fold under cross-validation).
/// </summary>
public static class WorkflowDiagnostics
{
    /// <summary>The <see cref="ActivitySource"/> name: <c>MlWorkflow</c>.</summary>
    public const string ActivitySourceName = "MlWorkflow";

    /// <summary>The whole run: <c>workflow.run</c>, tagged with <c>mlworkflow.trainer</c>, <c>mlworkflow.task</c> and <c>mlworkflow.label</c>.</summary>
    public const string RunActivity = "workflow.run";

    /// <summary>Loading the data: <c>workflow.load</c>.</summary>
    public const string LoadActivity = "workflow.load";

    /// <summary>Fitting the feature steps: <c>workflow.features</c>.</summary>
    public const string FeaturesActivity = "workflow.features";

    /// <summary>Fitting the trainer (ML.NET's <c>Fit</c>): <c>workflow.fit</c>.</summary>
    public const string FitActivity = "workflow.fit";

    /// <summary>Scoring and computing metrics (and feature importance): <c>workflow.evaluate</c>.</summary>
    public const string EvaluateActivity = "workflow.evaluate";

    /// <summary>Drawing the plots: <c>workflow.plots</c>.</summary>
    public const string PlotsActivity = "workflow.plots";

    /// <summary>An AutoML search: <c>automl.search</c>, tagged with <c>mlworkflow.task</c> and <c>mlworkflow.label</c>; its trials and final run are children.</summary>
    public const string AutoMlActivity = "automl.search";

    /// <summary>One AutoML trial (fit and score on the cached features): <c>automl.trial</c>, tagged with <c>mlworkflow.trainer</c>.</summary>
    public const string AutoMlTrialActivity = "automl.trial";

    /// <summary>Computing a data profile (<c>DataProfile.ComputeAsync</c>), tagged with its rows and columns: <c>workflow.profile</c>.</summary>
    public const string ProfileActivity = "workflow.profile";

    internal static ActivitySource Source { get; } = new(ActivitySourceName);
}
