using MlWorkflow.Autologging;
using MlWorkflow.Tracking;

namespace MlWorkflow;

/// <summary>Adds MLflow tracking (autologging) to a workflow.</summary>
public static class WorkflowTrackingExtensions
{
    /// <summary>
    /// Records the workflow's run in MLflow: params, data set, metrics, plots, the model (<c>runs:/&lt;id&gt;/model</c>) and
    /// durations; a failed workflow ends its run FAILED with the error in tags. Each run of the workflow (or of one derived
    /// from it) is recorded as its own MLflow run; the result's <see cref="WorkflowResult.Tracking"/> carries its run id and model URI.
    /// </summary>
    /// <param name="workflow">The workflow.</param>
    /// <param name="client">The tracking client (for example <c>MlflowClient.Create()</c>).</param>
    /// <param name="experiment">The experiment's name; created when missing.</param>
    /// <param name="runName">The run's name; null for a generated one.</param>
    /// <param name="options">What to log; null for everything.</param>
    /// <returns>The workflow, with the tracker added.</returns>
    public static Workflow Track(this Workflow workflow, MlflowClient client, string experiment, string? runName = null, WorkflowTrackingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        // Checked now, so that misuse fails at the call rather than at the first run.
        _ = new MlflowWorkflowObserver(client, experiment, runName, options);
        return workflow.Observe(() => new MlflowWorkflowObserver(client, experiment, runName, options));
    }
}
