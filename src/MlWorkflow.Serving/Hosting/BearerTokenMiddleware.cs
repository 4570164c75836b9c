using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MlWorkflow.Serving.Hosting;

/// <summary>Refuses requests without <c>Authorization: Bearer &lt;token&gt;</c> (401), except the health checks <c>/ping</c> and <c>/health</c>.</summary>
internal sealed class BearerTokenMiddleware
{
    private readonly RequestDelegate _next;
    private readonly byte[] _expected;

    public BearerTokenMiddleware(RequestDelegate next, string token)
    {
        _next = next;
        _expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Equals("/ping", StringComparison.Ordinal) || path.Equals("/health", StringComparison.Ordinal))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        var given = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
        // Hashes of equal length compared in constant time: the answer's timing says nothing about the token.
        if (given is null || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _expected))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ScoringEndpoints.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED", "This model server needs 'Authorization: Bearer <token>' with the token it was started with.").ConfigureAwait(false);
            return;
        }

        await _next(context).ConfigureAwait(false);
    }
}
