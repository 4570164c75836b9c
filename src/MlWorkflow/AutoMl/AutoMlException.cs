namespace MlWorkflow.AutoMl;

/// <summary>An AutoML search could not produce a model: every trial failed, or the budget allowed none; the message says why and what to change.</summary>
public sealed class AutoMlException : Exception
{
    /// <summary>Creates the error.</summary>
    public AutoMlException()
        : this("The AutoML search failed.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public AutoMlException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates the error with a message and a cause.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public AutoMlException(string message, Exception innerException)
        : base(message, innerException)
    {
        Trials = [];
    }

    /// <summary>Creates the error with the trials that ran.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="trials">The trials that ran, none successful.</param>
    public AutoMlException(string message, IReadOnlyList<AutoMlTrial> trials)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(trials);
        Trials = trials;
    }

    /// <summary>The trials that ran (none successful); empty when none ran.</summary>
    public IReadOnlyList<AutoMlTrial> Trials { get; }
}
