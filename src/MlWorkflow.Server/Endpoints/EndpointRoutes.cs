using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlWorkflow.Server.Hosting;

namespace MlWorkflow.Server.Endpoints;

/// <summary>
/// Maps MLflow endpoints onto a route builder, each wrapped so that its failures become MLflow error bodies, and each write
/// (and only writes: searches are POSTs too) goes through <see cref="Idempotency.IdempotentWrites"/>.
/// </summary>
internal sealed class EndpointRoutes(IEndpointRouteBuilder builder, ServerContext server)
{
    public ServerContext Server => server;

    /// <summary>Maps a read: never remembered for replays.</summary>
    public IEndpointConventionBuilder MapGet(string route, RequestDelegate handler) => Map(HttpMethods.Get, route, handler, write: false);

    /// <summary>Maps a POST; <paramref name="write"/> is false for POSTs that only read (searches).</summary>
    public IEndpointConventionBuilder MapPost(string route, RequestDelegate handler, bool write = true) => Map(HttpMethods.Post, route, handler, write);

    public IEndpointConventionBuilder MapPut(string route, RequestDelegate handler) => Map(HttpMethods.Put, route, handler, write: true);

    public IEndpointConventionBuilder MapDelete(string route, RequestDelegate handler) => Map(HttpMethods.Delete, route, handler, write: true);

    public IEndpointConventionBuilder Map(string method, string route, RequestDelegate handler, bool write)
    {
        RequestDelegate answered = async context =>
        {
            try
            {
                await handler(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away: nothing to answer, but never a 200 the idempotency cache would take for an applied write.
                if (!context.Response.HasStarted)
                {
                    context.Response.StatusCode = 499;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await ErrorAnswers.WriteAsync(context, e, server, server.Logger).ConfigureAwait(false);
            }
        };
        RequestDelegate endpoint = write ? context => server.Writes.InvokeAsync(context, answered) : answered;
        return builder.MapMethods(route, [method], endpoint).WithMetadata(new Auth.MlflowRoute(method, route));
    }
}
