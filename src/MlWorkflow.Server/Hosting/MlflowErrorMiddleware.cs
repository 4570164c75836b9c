using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MlWorkflow.Tracking.Protocol;

namespace MlWorkflow.Server.Hosting;

/// <summary>Turns failures into MLflow's error bodies: <c>{"error_code": "...", "message": "..."}</c> with the status MLflow derives from the code.</summary>
internal sealed class MlflowErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (MlflowException e)
        {
            await WriteErrorAsync(context, e.ErrorCode, e.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await WriteErrorAsync(context, ErrorCode.InvalidParameterValue, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is larger than the server accepts." : e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await WriteErrorAsync(context, ErrorCode.InternalError, "Internal server error: " + e.Message).ConfigureAwait(false);
        }
    }

    public static async Task WriteErrorAsync(HttpContext context, ErrorCode code, string message)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = code.ToHttpStatus();
        context.Response.ContentType = "application/json";
        var body = new ErrorMessage { ErrorCode = code.ToWireName(), Message = message };
        await JsonSerializer.SerializeAsync(context.Response.Body, body, RestJsonContext.Default.ErrorMessage, context.RequestAborted).ConfigureAwait(false);
    }
}
