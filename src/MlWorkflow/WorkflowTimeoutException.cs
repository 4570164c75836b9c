namespace MlWorkflow;

/// <summary>
/// A run took longer than its <see cref="Workflow.TimeLimit"/> and was stopped: ML.NET's training was cancelled, nothing
/// was returned, and an observer (a tracker) recorded the run as failed.
/// </summary>
public sealed class WorkflowTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="timeLimit">The limit the run exceeded.</param>
    /// <param name="stage">The stage the run was in when stopped (for example <c>fit</c>).</param>
    /// <param name="innerException">The cancellation that stopped the run.</param>
    public WorkflowTimeoutException(TimeSpan timeLimit, string stage, Exception? innerException = null)
        : base(
            FormattableString.Invariant(
                $"The workflow run was stopped at its time limit of {timeLimit.TotalSeconds:0.###} s, during '{stage}'. Raise TimeLimit(...) or make the run cheaper (fewer trees or iterations, fewer rows)."),
            innerException)
    {
        TimeLimit = timeLimit;
        Stage = stage;
    }

    /// <summary>The limit the run exceeded.</summary>
    public TimeSpan TimeLimit { get; }

    /// <summary>The stage the run was in when stopped: <c>load</c>, <c>features</c>, <c>fit</c>, <c>evaluate</c> or <c>plots</c> (the names of <see cref="WorkflowDiagnostics"/>' activities).</summary>
    public string Stage { get; }
}
