using System.Collections.Frozen;
using System.Text;

namespace MlWorkflow.Tracking;

/// <summary>Converts <see cref="ErrorCode"/> values to and from MLflow's wire names and HTTP statuses.</summary>
public static class ErrorCodes
{
    private static readonly FrozenDictionary<ErrorCode, string> Names =
        Enum.GetValues<ErrorCode>().ToFrozenDictionary(code => code, ToUpperSnake);

    private static readonly FrozenDictionary<string, ErrorCode> ByName =
        Names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The wire name of a code, such as <c>RESOURCE_DOES_NOT_EXIST</c>.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The upper snake case name MLflow sends in <c>error_code</c>.</returns>
    public static string ToWireName(this ErrorCode code) =>
        Names.TryGetValue(code, out var name) ? name : "INTERNAL_ERROR";

    /// <summary>Parses a wire name; an unknown name becomes <see cref="ErrorCode.InternalError"/>, as MLflow's client does.</summary>
    /// <param name="name">The <c>error_code</c> text.</param>
    /// <returns>The code.</returns>
    public static ErrorCode FromWireName(string? name) =>
        name is not null && ByName.TryGetValue(name, out var code) ? code : ErrorCode.InternalError;

    /// <summary>The HTTP status MLflow's server answers with for a code.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The HTTP status code.</returns>
    public static int ToHttpStatus(this ErrorCode code) => code switch
    {
        ErrorCode.InvalidParameterValue or ErrorCode.ResourceAlreadyExists or ErrorCode.BadRequest => 400,
        ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound or ErrorCode.EndpointNotFound => 404,
        ErrorCode.CustomerUnauthorized or ErrorCode.Unauthenticated => 401,
        ErrorCode.PermissionDenied => 403,
        ErrorCode.AlreadyExists or ErrorCode.ResourceConflict or ErrorCode.Aborted => 409,
        ErrorCode.RequestLimitExceeded or ErrorCode.ResourceExhausted => 429,
        ErrorCode.Cancelled => 499,
        ErrorCode.NotImplemented => 501,
        ErrorCode.TemporarilyUnavailable => 503,
        ErrorCode.DeadlineExceeded => 504,
        _ => 500,
    };

    /// <summary>The code MLflow's client derives from an HTTP status when the body is not a JSON error.</summary>
    /// <param name="status">The HTTP status code.</param>
    /// <returns>The code.</returns>
    public static ErrorCode FromHttpStatus(int status) => status switch
    {
        400 => ErrorCode.BadRequest,
        401 => ErrorCode.Unauthenticated,
        403 => ErrorCode.PermissionDenied,
        404 => ErrorCode.EndpointNotFound,
        409 => ErrorCode.AlreadyExists,
        429 => ErrorCode.ResourceExhausted,
        499 => ErrorCode.Cancelled,
        501 => ErrorCode.NotImplemented,
        503 => ErrorCode.TemporarilyUnavailable,
        504 => ErrorCode.DeadlineExceeded,
        _ => ErrorCode.InternalError,
    };

    private static string ToUpperSnake(ErrorCode code)
    {
        var name = code.ToString();
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(name[i]));
        }

        return builder.ToString();
    }
}
