namespace MlWorkflow.Tracking;

/// <summary>
/// A failure of a tracking or registry call, carrying MLflow's error code. Its message never carries credentials: passwords
/// in URIs, <c>Bearer</c>/<c>Basic</c> credentials and reflected <c>Authorization</c> header values are replaced by <c>***</c>.
/// </summary>
public class MlflowException : Exception
{
    /// <summary>Creates an exception with a code and a message.</summary>
    /// <param name="errorCode">MLflow's error code.</param>
    /// <param name="message">What was wrong, and what to do about it.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public MlflowException(ErrorCode errorCode, string message, Exception? innerException = null)
        : base(SecretRedactor.Redact(message), innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>Creates an <see cref="ErrorCode.InternalError"/> exception.</summary>
    /// <param name="message">What was wrong.</param>
    public MlflowException(string message)
        : this(ErrorCode.InternalError, message)
    {
    }

    /// <summary>Creates an <see cref="ErrorCode.InternalError"/> exception with an inner exception.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public MlflowException(string message, Exception innerException)
        : this(ErrorCode.InternalError, message, innerException)
    {
    }

    /// <summary>Creates an <see cref="ErrorCode.InternalError"/> exception with a generic message.</summary>
    public MlflowException()
        : this(ErrorCode.InternalError, "An MLflow operation failed.")
    {
    }

    /// <summary>MLflow's error code for this failure.</summary>
    public ErrorCode ErrorCode { get; }

    /// <summary>The HTTP status MLflow's server answers with for this failure.</summary>
    public int HttpStatus => ErrorCode.ToHttpStatus();

    /// <summary>Creates an <see cref="ErrorCode.InvalidParameterValue"/> exception.</summary>
    /// <param name="message">What was wrong.</param>
    /// <returns>The exception.</returns>
    public static MlflowException InvalidParameter(string message) => new(ErrorCode.InvalidParameterValue, message);

    /// <summary>Creates an <see cref="ErrorCode.ResourceDoesNotExist"/> exception.</summary>
    /// <param name="message">What was not found.</param>
    /// <returns>The exception.</returns>
    public static MlflowException NotFound(string message) => new(ErrorCode.ResourceDoesNotExist, message);

    /// <summary>Creates an <see cref="ErrorCode.ResourceAlreadyExists"/> exception.</summary>
    /// <param name="message">What already exists.</param>
    /// <returns>The exception.</returns>
    public static MlflowException AlreadyExists(string message) => new(ErrorCode.ResourceAlreadyExists, message);

    /// <inheritdoc />
    public override string ToString() => $"{ErrorCode.ToWireName()}: {base.ToString()}";
}
