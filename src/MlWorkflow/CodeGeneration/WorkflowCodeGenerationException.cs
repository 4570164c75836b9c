namespace MlWorkflow.CodeGeneration;

/// <summary>
/// A workflow cannot be written as code: a feature step or trainer has no C# form (a custom mapping, a custom trainer),
/// a part it needs is missing, or the output would overwrite files. Raised before any file is written, naming the part.
/// </summary>
public sealed class WorkflowCodeGenerationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="part">The part of the workflow at fault: <c>Features</c>, <c>Train</c>, <c>Label</c>, <c>Output</c>, ...</param>
    /// <param name="item">The step, trainer or file at fault, or an empty string when none is.</param>
    /// <param name="problem">What is wrong and what to do.</param>
    public WorkflowCodeGenerationException(string part, string item, string problem)
        : base(item.Length == 0 ? $"Code generation, {part}: {problem}" : $"Code generation, {part} '{item}': {problem}")
    {
        Part = part;
        Item = item;
        Problem = problem;
    }

    /// <summary>The part of the workflow at fault (<c>Features</c>, <c>Train</c>, <c>Label</c>, <c>Output</c>, ...).</summary>
    public string Part { get; }

    /// <summary>The step, trainer or file at fault, or an empty string.</summary>
    public string Item { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
