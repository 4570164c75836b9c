namespace MlWorkflow.Features;

/// <summary>A feature step cannot run on the schema it receives: a column is missing or has the wrong type.</summary>
public sealed class FeatureValidationException : WorkflowValidationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="step">The step that failed.</param>
    /// <param name="column">The column at fault.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The ML.NET error behind it, if any.</param>
    public FeatureValidationException(FeatureStep step, string column, string problem, Exception? innerException = null)
        : base($"Features: {step}", column, problem, innerException)
    {
        FeatureStep = step;
    }

    /// <summary>The step that failed.</summary>
    public FeatureStep FeatureStep { get; }
}
