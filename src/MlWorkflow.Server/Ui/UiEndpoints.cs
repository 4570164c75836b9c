using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlWorkflow.Server.Endpoints;
using MlWorkflow.Server.Hosting;

namespace MlWorkflow.Server.Ui;

/// <summary>Maps the UI's pages, actions, script reads and assets onto a route group; failures become a page (or JSON for the script) saying what went wrong.</summary>
internal static class UiEndpoints
{
    public static void Map(IEndpointRouteBuilder group, ServerContext server)
    {
        Page(group, server, "/", ExperimentsPage.RenderAsync);
        Page(group, server, "/experiments/{id}", r => RunsPage.RenderAsync(r, (string)r.Context.Request.RouteValues["id"]!));
        Page(group, server, "/runs/{id}", r => RunPage.RenderAsync(r, (string)r.Context.Request.RouteValues["id"]!));
        Page(group, server, "/compare", ComparePage.RenderAsync);
        Page(group, server, "/models", ModelsPage.RenderListAsync);
        Page(group, server, "/model", ModelsPage.RenderModelAsync);
        Json(group, server, "/ui-api/chart", UiApi.ChartAsync);
        Json(group, server, "/ui-api/artifact", UiApi.ArtifactAsync);
        group.MapGet("/static/app.js", context => UiAsset.Script.WriteAsync(context)).WithMetadata(new Auth.MlflowRoute("GET", "/static/app.js"));
        group.MapGet("/static/app.css", context => UiAsset.Style.WriteAsync(context)).WithMetadata(new Auth.MlflowRoute("GET", "/static/app.css"));
        group.MapPost("/actions/{action}", context =>
        {
            var request = UiRequest.For(context, server, "/actions/{action}");
            return UiActions.HandleAsync(request, (string)context.Request.RouteValues["action"]!);
        }).WithMetadata(new Auth.MlflowRoute("POST", "/actions/{action}"));
    }

    private static void Page(IEndpointRouteBuilder group, ServerContext server, string route, Func<UiRequest, Task> render) =>
        group.MapGet(route, async context =>
        {
            var request = UiRequest.For(context, server, route);
            try
            {
                await render(request).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException && !context.Response.HasStarted)
            {
                var (code, message, serverFault) = ErrorAnswers.Translate(e, context);
                if (serverFault)
                {
                    ServerLog.RequestFailed(server.Logger, e, context.Request.Method, context.Request.Path.Value, code.ToWireName(), context.TraceIdentifier);
                }

                context.Response.Clear();
                await UiLayout.WriteAsync(request, "Error", string.Empty, html =>
                    html.Raw("<h1>").Text(code == ErrorCode.ResourceDoesNotExist ? "Not found" : "Something went wrong").Raw("</h1><p class=\"notice error\" role=\"alert\">")
                        .Text(server.Redact(message)).Raw("</p><p>").Link(request.Url("/"), "Back to the experiments").Raw("</p>"),
                    code.ToHttpStatus()).ConfigureAwait(false);
            }
        }).WithMetadata(new Auth.MlflowRoute("GET", route));

    private static void Json(IEndpointRouteBuilder group, ServerContext server, string route, Func<UiRequest, Task> handle) =>
        group.MapGet(route, async context =>
        {
            try
            {
                await handle(UiRequest.For(context, server, route)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
            {
                await ErrorAnswers.WriteAsync(context, e, server, server.Logger).ConfigureAwait(false);
            }
        }).WithMetadata(new Auth.MlflowRoute("GET", route));
}
