using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using MlWorkflow.Tracking.Protocol;

namespace MlWorkflow.Server.Idempotency;

/// <summary>
/// Applies each write endpoint's request that carries an <c>Idempotency-Key</c> at most once: the first request runs and its
/// successful answer is remembered (in memory, and in the journal when there is one); a replay (a client retry after a lost
/// answer, a timeout or a server restart) gets the same answer without running again. A retry of a write whose outcome is
/// unknown (it failed, or the server stopped while it ran) runs again, told so through <see cref="IsRetryOfUnknownOutcome"/>.
/// Reads are never remembered: only the write endpoints go through here.
/// </summary>
internal sealed class IdempotentWrites(IdempotencyCache cache, IdempotencyJournal? journal) : IDisposable
{
    /// <summary>The header set on an answer served from the cache.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    private const int MaxKeyLength = 128;
    private static readonly object OutcomeUnknownItem = new();

    /// <summary>Whether this request retries a write of the same key whose outcome is unknown: a part of it may already be stored.</summary>
    public static bool IsRetryOfUnknownOutcome(HttpContext context) => context.Items.ContainsKey(OutcomeUnknownItem);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!cache.Enabled
            || !context.Request.Headers.TryGetValue(MlflowHeaders.IdempotencyKey, out var values)
            || values.Count != 1
            || string.IsNullOrEmpty(values[0])
            || values[0]!.Length > MaxKeyLength)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // The caller is part of the key on a server with auth: one user's key never replays another user's answer.
        var caller = Auth.AuthSession.Of(context)?.User.Username ?? string.Empty;
        var key = Hash(context.Request.Method + " " + context.Request.PathBase.Value + context.Request.Path.Value + "\n" + caller + "\n" + values[0]);
        var (claim, response) = await cache.ClaimAsync(key, context.RequestAborted).ConfigureAwait(false);
        if (claim == IdempotencyClaim.Replay)
        {
            context.Response.StatusCode = response!.StatusCode;
            context.Response.ContentType = response.ContentType;
            context.Response.Headers[ReplayedHeader] = "true";
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (claim == IdempotencyClaim.RunAgain)
        {
            context.Items[OutcomeUnknownItem] = true;
        }

        await RunAndRememberAsync(context, key, next).ConfigureAwait(false);
    }

    public void Dispose() => journal?.Dispose();

    private async Task RunAndRememberAsync(HttpContext context, string key, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        CachedResponse? answer = null;
        try
        {
            journal?.Started(key);
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode is >= 200 and < 300)
            {
                answer = new CachedResponse(context.Response.StatusCode, context.Response.ContentType, buffer.ToArray());
                journal?.Applied(key, answer);
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

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
