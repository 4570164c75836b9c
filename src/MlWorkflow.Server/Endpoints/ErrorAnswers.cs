using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Tracking.Protocol;

namespace MlWorkflow.Server.Endpoints;

/// <summary>
/// Turns failures into MLflow's error bodies (<c>{"error_code": "...", "message": "..."}</c> with the status MLflow derives
/// from the code). Client mistakes the store meets as file-system errors (a name too long for a file name, a path under an
/// existing file) are 400s; anything else unexpected is a 500 whose message names neither a server path nor a .NET type:
/// the details go to the server's log.
/// </summary>
internal static partial class ErrorAnswers
{
    // errno values of Linux/macOS for a path that conflicts with what exists (EEXIST, ENOTDIR, EISDIR, ENAMETOOLONG on Linux and macOS).
    private static readonly int[] ConflictErrnos = [17, 20, 21, 36, 63];

    // Windows: ERROR_FILE_EXISTS, ERROR_ALREADY_EXISTS, ERROR_DIRECTORY, ERROR_FILENAME_EXCED_RANGE, ERROR_INVALID_NAME.
    private static readonly int[] ConflictHResults = [unchecked((int)0x80070050), unchecked((int)0x800700B7), unchecked((int)0x8007010B), unchecked((int)0x800700CE), unchecked((int)0x8007007B)];

    /// <summary>The MLflow error code and the client-safe message of a failure; <c>ServerFault</c> when it is the server's own (logged as an error).</summary>
    public static (ErrorCode Code, string Message, bool ServerFault) Translate(Exception exception, HttpContext context) => exception switch
    {
        // A store's wrapped file-system error (MLflow's file store answers INTERNAL_ERROR) is judged by what the file system said.
        MlflowException { ErrorCode: ErrorCode.InternalError, InnerException: IOException or UnauthorizedAccessException } e => Translate(e.InnerException!, context),
        MlflowException e => (e.ErrorCode, e.Message, e.HttpStatus >= 500),
        BadHttpRequestException e when e.StatusCode == StatusCodes.Status413PayloadTooLarge => (ErrorCode.InvalidParameterValue, "The request body is larger than the server accepts.", false),
        BadHttpRequestException e => (ErrorCode.BadRequest, "Bad request: " + e.Message, false),
        PathTooLongException => (ErrorCode.InvalidParameterValue, "A name or path in the request is too long to be stored: the store keeps names as file names of at most 255 bytes in UTF-8 (a non-ASCII character takes 2 to 4 bytes). Use a shorter name.", false),
        DirectoryNotFoundException => (ErrorCode.InvalidParameterValue, "A path in the request goes through something that is not a folder in the store (for example a path under an existing file). Use another path.", false),
        FileNotFoundException => (ErrorCode.ResourceDoesNotExist, "A file the request names does not exist in the store.", false),
        UnauthorizedAccessException => (ErrorCode.InvalidParameterValue, "The request names a file or folder the server cannot write (an existing folder where a file is expected, or a read-only entry). Use another path.", false),
        IOException e when IsNameConflict(e) => (ErrorCode.InvalidParameterValue, "A name or path in the request conflicts with what the store holds (a file where a folder is needed, or a name the file system cannot store). Use another name.", false),
        IOException => (ErrorCode.InternalError, $"The server's store failed to read or write (an I/O error such as a full disk); the server's log has the details (request {context.TraceIdentifier}).", true),
        ArgumentException e => (ErrorCode.InvalidParameterValue, e.ParamName is { Length: > 0 } name ? $"Invalid value for parameter '{Excerpt.Of(name)}'." : "A value in the request is not valid.", false),
        _ => (ErrorCode.InternalError, $"Internal server error; the server's log has the details (request {context.TraceIdentifier}).", true),
    };

    /// <summary>Whether the file system refused a name or path the client gave: by the error's HResult, or the errno a store's own message carries (<c>(errno 36: …)</c>).</summary>
    private static bool IsNameConflict(IOException e)
    {
        if (ConflictErrnos.Contains(e.HResult) || ConflictHResults.Contains(e.HResult))
        {
            return true;
        }

        var match = ErrnoPattern().Match(e.Message);
        return match.Success && ConflictErrnos.Contains(int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"\(errno (\d{1,4})\b", RegexOptions.CultureInvariant)]
    private static partial Regex ErrnoPattern();

    /// <summary>Answers a failure, logging it (server faults as errors, with the exception; client mistakes at debug level).</summary>
    public static Task WriteAsync(HttpContext context, Exception exception, ServerContext? server, ILogger logger)
    {
        var (code, message, serverFault) = Translate(exception, context);
        var codeName = code.ToWireName();
        if (serverFault)
        {
            ServerLog.RequestFailed(logger, exception, context.Request.Method, context.Request.Path.Value, codeName, context.TraceIdentifier);
        }
        else
        {
            ServerLog.RequestRefused(logger, exception, context.Request.Method, context.Request.Path.Value, codeName);
        }

        return WriteAsync(context, code, server?.Redact(message) ?? message);
    }

    /// <summary>Writes an MLflow error body, its message bounded in length; aborts the connection when an answer already started.</summary>
    public static async Task WriteAsync(HttpContext context, ErrorCode code, string message)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = code.ToHttpStatus();
        context.Response.ContentType = "application/json";
        var body = new ErrorMessage { ErrorCode = code.ToWireName(), Message = Excerpt.Bound(message) };
        await JsonSerializer.SerializeAsync(context.Response.Body, body, RestJsonContext.Default.ErrorMessage, CancellationToken.None).ConfigureAwait(false);
    }
}
