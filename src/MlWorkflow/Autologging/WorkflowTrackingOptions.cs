namespace MlWorkflow.Autologging;

/// <summary>What <see cref="WorkflowTrackingExtensions.Track"/> logs with a workflow run.</summary>
public sealed class WorkflowTrackingOptions
{
    /// <summary>Whether the fitted model is logged in MLflow's format under <see cref="ModelArtifactPath"/>. The default value is true.</summary>
    public bool LogModel { get; init; } = true;

    /// <summary>The artifact folder of the model. The default value is <c>model</c>.</summary>
    public string ModelArtifactPath { get; init; } = "model";

    /// <summary>Whether evaluation plots (when the workflow made them) are logged under <c>plots/</c>. The default value is true.</summary>
    public bool LogPlots { get; init; } = true;

    /// <summary>Whether the data set is recorded as a run input (name, digest, source, schema, row count). The default value is true.</summary>
    public bool LogDataset { get; init; } = true;

    /// <summary>Tags to set on the run. The default value is empty.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>A Markdown description of the run. The default value is null (none).</summary>
    public string? Description { get; init; }
}
