using Microsoft.AspNetCore.Http;
using MlWorkflow.Server.Endpoints;

namespace MlWorkflow.Server.Security;

/// <summary>Refuses requests whose <c>Host</c> header names a host the server does not answer, with a 403 <c>PERMISSION_DENIED</c> saying what to change.</summary>
internal sealed class HostFilterMiddleware(RequestDelegate next, AllowedHosts allowed)
{
    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host;
        // HTTP/1.0 requests may lack a Host header: no browser sends one, so they are no rebinding risk.
        if (!host.HasValue || allowed.Allows(host.Host))
        {
            return next(context);
        }

        var message = $"Host '{Excerpt.Of(host.Host)}' is not allowed: this server answers requests addressed to {string.Join(", ", allowed.Entries.Take(8))}"
            + (allowed.Entries.Count > 8 ? ", …" : string.Empty)
            + " (a protection against DNS rebinding). To accept other names, start it with --allowed-hosts (TrackingServerOptions.AllowedHosts).";
        return ErrorAnswers.WriteAsync(context, ErrorCode.PermissionDenied, message);
    }
}
