namespace MlWorkflow.Serving.Protocol;

/// <summary>A request the scoring endpoint refuses: the HTTP status, MLflow's <c>error_code</c> and a message quoting at most a short excerpt of the input.</summary>
internal sealed class ScoringException : Exception
{
    public ScoringException(int statusCode, string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    public ScoringException()
        : this(400, BadRequest, "The request was refused.")
    {
    }

    public ScoringException(string message)
        : this(400, BadRequest, message)
    {
    }

    public ScoringException(string message, Exception innerException)
        : this(400, BadRequest, message, innerException)
    {
    }

    /// <summary>MLflow's code for malformed input (bad JSON, wrong shape, a value that does not convert).</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>MLflow's code for input that does not fit the model's signature or params.</summary>
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    public int StatusCode { get; }

    public string ErrorCode { get; }

    public static ScoringException Input(string message) => new(400, BadRequest, message);

    public static ScoringException Schema(string message) => new(400, InvalidParameterValue, message);
}
