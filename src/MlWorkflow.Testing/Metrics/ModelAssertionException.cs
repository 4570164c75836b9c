namespace MlWorkflow.Testing.Metrics;

/// <summary>A model check failed: a metric out of bounds, or a challenger worse than the champion. The message says which values.</summary>
public sealed class ModelAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelAssertionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed, with the values compared.</param>
    public ModelAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ModelAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
