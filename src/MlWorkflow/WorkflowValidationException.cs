namespace MlWorkflow;

/// <summary>
/// A workflow is misused: it cannot run as described (no label, an unknown column, a trainer that does not
/// fit the label's type…). Raised before any training, naming the step and the column.
/// </summary>
public class WorkflowValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="step">The workflow step at fault (for example <c>Label</c> or <c>Train</c>).</param>
    /// <param name="column">The column at fault, or an empty string when none is.</param>
    /// <param name="problem">What is wrong and, where possible, what to do.</param>
    /// <param name="innerException">The error behind it, if any.</param>
    public WorkflowValidationException(string step, string column, string problem, Exception? innerException = null)
        : base(Format(step, column, problem), innerException)
    {
        Step = step;
        Column = column;
        Problem = problem;
    }

    /// <summary>The workflow step at fault.</summary>
    public string Step { get; }

    /// <summary>The column at fault, or an empty string.</summary>
    public string Column { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    private static string Format(string step, string column, string problem) =>
        column.Length == 0 ? $"Workflow step '{step}': {problem}" : $"Workflow step '{step}', column '{column}': {problem}";
}
