namespace MlWorkflow;

/// <summary>
/// Watches one workflow run: the hook for tracking (autologging) and anything else that records runs. Added with
/// <see cref="Workflow.Observe(Func{IWorkflowObserver})"/>, which creates one observer per run, so an observer may keep
/// the state of its run in fields; observers are called in the order they were added.
/// </summary>
/// <remarks>
/// <see cref="OnStartingAsync"/> is called once the data is loaded and the workflow validated, before any
/// training; <see cref="OnTrainedAsync"/> once the final model is fitted; then
/// <see cref="OnCompletedAsync"/> on success or <see cref="OnFailedAsync"/> on failure. If an observer's
/// <see cref="OnCompletedAsync"/> throws, the run fails and <see cref="OnFailedAsync"/> is called on every started
/// observer, those already completed included. A workflow that
/// fails validation never calls the observer.
/// </remarks>
public interface IWorkflowObserver
{
    /// <summary>The workflow is about to train: log its params and data set here.</summary>
    /// <param name="context">The params, data and settings of the run.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the observer is done.</returns>
    Task OnStartingAsync(WorkflowStartingContext context, CancellationToken cancellationToken);

    /// <summary>
    /// The final model is fitted and evaluation is about to start. Work started here (and awaited in
    /// <see cref="OnCompletedAsync"/>) runs beside the evaluation, such as saving the model; return quickly.
    /// The default does nothing.
    /// </summary>
    /// <param name="context">The fitted model, its input schema and the data.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the observer has started its work.</returns>
    Task OnTrainedAsync(WorkflowTrainedContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The workflow finished: log metrics, model and plots here. Return the result, or a copy that says where the
    /// run was recorded (<see cref="WorkflowResult.WithTracking"/>).
    /// </summary>
    /// <param name="result">The result so far.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The result to hand to the next observer and, at last, to the caller.</returns>
    Task<WorkflowResult> OnCompletedAsync(WorkflowResult result, CancellationToken cancellationToken);

    /// <summary>The workflow failed after <see cref="OnStartingAsync"/>: record the failure here. The error is rethrown afterwards.</summary>
    /// <param name="error">The error.</param>
    /// <param name="cancellationToken">Cancels the work (the workflow's token is not passed, so that a cancelled run can still be recorded).</param>
    /// <returns>A task that completes when the observer is done.</returns>
    Task OnFailedAsync(Exception error, CancellationToken cancellationToken);
}
