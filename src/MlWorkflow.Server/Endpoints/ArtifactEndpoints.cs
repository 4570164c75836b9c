using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Tracking.Protocol;

namespace MlWorkflow.Server.Endpoints;

/// <summary>The <c>mlflow-artifacts</c> proxy API (MLflow's tracking server documentation on artifact proxying, https://mlflow.org/docs/latest/tracking/artifacts-stores.html): PUT, GET, list and DELETE, streamed.</summary>
internal static class ArtifactEndpoints
{
    private const int CopyBufferSize = 81920;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(EndpointRoutes app, ServerContext server, string prefix)
    {
        app.MapPut(prefix + "/artifacts/{**path}", async context =>
        {
            var (repository, relative) = await ResolveAsync(server, context).ConfigureAwait(false);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = server.Options.MaxArtifactBytes;
            }

            await repository.WriteAsync(relative, context.Request.Body, context.RequestAborted).ConfigureAwait(false);
            await RequestJson.WriteAsync(context, EmptyMessage.Instance, RestJsonContext.Default.EmptyMessage).ConfigureAwait(false);
        });

        app.MapGet(prefix + "/artifacts/{**path}", async context =>
        {
            var (repository, relative) = await ResolveAsync(server, context).ConfigureAwait(false);
            await using var source = await repository.OpenReadAsync(relative, context.RequestAborted).ConfigureAwait(false);
            var name = relative[(relative.LastIndexOf('/') + 1)..];
            context.Response.ContentType = ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
            context.Response.ContentLength = KnownLength(source);
            context.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = name, DispositionType = "attachment" }.ToString();
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await source.CopyToAsync(context.Response.Body, CopyBufferSize, context.RequestAborted).ConfigureAwait(false);
        });

        app.MapGet(prefix + "/artifacts", async context =>
        {
            var path = RequestJson.Query(context, "path");
            var (repository, relative) = await ResolveAsync(server, context, path).ConfigureAwait(false);
            var entries = await repository.ListAsync(relative, context.RequestAborted).ConfigureAwait(false);
            var response = new ListArtifactsResponse
            {
                Files = entries.Count == 0 ? null : entries.Select(e => RestMapping.ToMessage(e, e.Path[(e.Path.LastIndexOf('/') + 1)..])).ToList(),
            };
            await RequestJson.WriteAsync(context, response, RestJsonContext.Default.ListArtifactsResponse).ConfigureAwait(false);
        });

        app.MapDelete(prefix + "/artifacts/{**path}", async context =>
        {
            var (resolved, relative) = await ResolveAsync(server, context).ConfigureAwait(false);
            if (relative.Length == 0)
            {
                throw MlflowException.InvalidParameter("Invalid path: an artifact root (a run's, or the artifacts destination) cannot be deleted.");
            }

            var deletable = resolved as Tracking.Artifacts.IDeletableArtifactRepository
                ?? throw new MlflowException(ErrorCode.NotImplemented, "The artifacts destination of this server cannot delete artifacts.");
            await deletable.DeleteAsync(relative, context.RequestAborted).ConfigureAwait(false);
            await RequestJson.WriteAsync(context, EmptyMessage.Instance, RestJsonContext.Default.EmptyMessage).ConfigureAwait(false);
        });
    }

    /// <summary>The length of a file, or of a remote object whose answer gave one (an S3 download says its size but cannot seek).</summary>
    private static long? KnownLength(Stream source)
    {
        if (source.CanSeek)
        {
            return source.Length;
        }

        try
        {
            return source.Length;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The destination's repository and the checked path of the route (or <paramref name="path"/>); 503 when the server serves no artifacts.</summary>
    internal static Task<(Tracking.Artifacts.IArtifactRepository Repository, string Relative)> ResolveAsync(ServerContext server, HttpContext context, string? path = null)
    {
        var artifacts = server.Artifacts ?? throw new MlflowException(
            ErrorCode.TemporarilyUnavailable,
            "Endpoint disabled: this server does not serve artifacts (ServeArtifacts is off, or its store is not a file store).");
        return artifacts.ResolveAsync(path ?? context.Request.RouteValues["path"] as string ?? string.Empty, context.RequestAborted);
    }
}
