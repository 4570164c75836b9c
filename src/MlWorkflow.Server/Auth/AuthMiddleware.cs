using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using MlWorkflow.Server.Endpoints;
using MlWorkflow.Server.Hosting;

namespace MlWorkflow.Server.Auth;

/// <summary>
/// MLflow's auth app's request processing (mlflow-protocol-2 §5.4), after routing: open endpoints pass; anything else needs
/// credentials (401 with <c>WWW-Authenticate: Basic realm="mlflow"</c>, 429 with <c>Retry-After</c> after repeated failures);
/// admins pass; others need the endpoint's <see cref="AccessRule"/> (403 <c>PERMISSION_DENIED</c> JSON), and an endpoint of
/// ours without a rule is refused.
/// </summary>
internal sealed class AuthMiddleware(RequestDelegate next, AuthServices auth, ServerContext server)
{
    /// <summary>MLflow's 401 body.</summary>
    public const string UnauthenticatedMessage = "You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.";

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var route = endpoint?.Metadata.GetMetadata<MlflowRoute>();
        var rule = route is null ? null : AccessRules.For(route);
        if (rule is { IsOpen: true })
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var result = await auth.Authenticator.AuthenticateAsync(context).ConfigureAwait(false);
        if (result.User is not { } user)
        {
            await RefuseAsync(context, result).ConfigureAwait(false);
            return;
        }

        context.Features.Set(new AuthSession(user, auth.Access));
        if (!user.IsAdmin)
        {
            var allowed = rule is not null
                ? await rule.AllowsAsync(new AccessCheck(context, user, auth.Access, Math.Max(server.Options.MaxRequestBodyBytes, TrackingEndpoints.MaxLogBatchBytes))).ConfigureAwait(false)
                : endpoint is not RouteEndpoint; // the framework's own answers (405) pass; an endpoint mapped without a rule does not
            if (!allowed)
            {
                if (rule is null)
                {
                    AuthLog.NoRule(server.Logger, endpoint!.DisplayName ?? context.Request.Path.Value ?? string.Empty);
                }

                AuthLog.Denied.Add(1);
                AuthLog.PermissionDenied(server.Logger, user.Username, context.Request.Method, context.Request.Path.Value, rule?.Description ?? "a rule");
                await ErrorAnswers.WriteAsync(context, ErrorCode.PermissionDenied, $"Permission denied: user '{Excerpt.Of(user.Username)}' lacks the permission this call needs ({rule?.Description ?? "an admin"}).").ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private static async Task RefuseAsync(HttpContext context, AuthResult result)
    {
        if (result.RetryAfter > TimeSpan.Zero)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = ((int)result.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Too many failed logins for this user from this address: wait the Retry-After seconds, then try again.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"mlflow\"";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(UnauthenticatedMessage, context.RequestAborted).ConfigureAwait(false);
    }
}
