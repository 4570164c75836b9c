using Microsoft.AspNetCore.Http;
using MlWorkflow.Tracking.Protocol;

namespace MlWorkflow.Server.Hosting;

/// <summary>
/// Applies each write (POST, PATCH, DELETE) that carries an <c>Idempotency-Key</c> at most once: the first request runs and its successful answer
/// is remembered; a replay (a client retry after a lost answer or a timeout) gets the same answer without running again.
/// Failed requests are not remembered, so their retries run.
/// </summary>
internal sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyCache cache)
{
    /// <summary>The header set on an answer served from the cache.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!cache.Enabled
            || !(HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPatch(context.Request.Method) || HttpMethods.IsDelete(context.Request.Method))
            || !context.Request.Headers.TryGetValue(MlflowHeaders.IdempotencyKey, out var values)
            || values.Count != 1
            || string.IsNullOrEmpty(values[0])
            || values[0]!.Length > 128)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var key = context.Request.Method + " " + context.Request.Path.Value + "\n" + values[0];
        while (true)
        {
            if (cache.TryClaim(key, out var existing))
            {
                await RunAndRememberAsync(context, key).ConfigureAwait(false);
                return;
            }

            var answer = await existing.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            if (answer is not null)
            {
                context.Response.StatusCode = answer.StatusCode;
                context.Response.ContentType = answer.ContentType;
                context.Response.Headers[ReplayedHeader] = "true";
                await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            // The first run failed and released the key: try to claim it again.
        }
    }

    private async Task RunAndRememberAsync(HttpContext context, string key)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        CachedResponse? answer = null;
        try
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (MlflowException e)
            {
                await MlflowErrorMiddleware.WriteErrorAsync(context, e.ErrorCode, e.Message).ConfigureAwait(false);
            }

            if (context.Response.StatusCode is >= 200 and < 300)
            {
                answer = new CachedResponse(context.Response.StatusCode, context.Response.ContentType, buffer.ToArray());
            }
        }
        finally
        {
            cache.Complete(key, answer);
            context.Response.Body = original;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted).ConfigureAwait(false);
    }
}
