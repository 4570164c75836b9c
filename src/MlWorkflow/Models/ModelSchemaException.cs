namespace MlWorkflow.Models;

/// <summary>
/// Data given to a model lacks a column the model reads, or a prediction class asks for a column the model does not
/// write. The message names the model's required inputs and its outputs.
/// </summary>
public sealed class ModelSchemaException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong and what to do.</param>
    /// <param name="missingColumns">The columns asked for that are not there.</param>
    /// <param name="requiredInputs">The columns the model reads.</param>
    /// <param name="availableOutputs">The columns the model writes.</param>
    /// <param name="innerException">ML.NET's own error, if any.</param>
    public ModelSchemaException(string message, IReadOnlyList<string> missingColumns, IReadOnlyList<string> requiredInputs, IReadOnlyList<string> availableOutputs, Exception? innerException = null)
        : base(message, innerException)
    {
        MissingColumns = missingColumns;
        RequiredInputs = requiredInputs;
        AvailableOutputs = availableOutputs;
    }

    /// <summary>The columns asked for that are not there.</summary>
    public IReadOnlyList<string> MissingColumns { get; }

    /// <summary>The input columns the model reads (its signature's inputs).</summary>
    public IReadOnlyList<string> RequiredInputs { get; }

    /// <summary>The columns the model writes (for example <c>Score</c>, <c>PredictedLabel</c>).</summary>
    public IReadOnlyList<string> AvailableOutputs { get; }
}
