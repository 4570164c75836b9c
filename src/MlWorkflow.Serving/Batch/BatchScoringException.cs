namespace MlWorkflow.Serving.Batch;

/// <summary>
/// Input that does not fit the model, found before anything is written: a column the model needs is missing or has a
/// type that does not convert, or the output would have two columns of one name. The message names the columns.
/// </summary>
public sealed class BatchScoringException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public BatchScoringException()
        : base("The input does not fit the model.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What was wrong and what to do.</param>
    public BatchScoringException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the error that caused it.</summary>
    /// <param name="message">What was wrong and what to do.</param>
    /// <param name="innerException">The underlying error.</param>
    public BatchScoringException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
