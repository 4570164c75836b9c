using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Server.Endpoints;

/// <summary>
/// MLflow's artifact download routes of its UI: <c>GET /get-artifact?run_id=&amp;path=</c> and
/// <c>GET /model-versions/get-artifact?name=&amp;version=&amp;path=</c> (MLflow's tracking server documentation), with range
/// requests, as attachments that a browser never runs (<c>Content-Security-Policy: sandbox</c>, <c>nosniff</c>).
/// </summary>
internal static class ArtifactDownloadEndpoints
{
    private const int MaxDecodeRounds = 10;

    // Extensions MLflow serves as text/plain whatever the platform's table says (so that a browser shows them, never runs them).
    private static readonly HashSet<string> TextExtensions = new(StringComparer.Ordinal)
    {
        "txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon", "toml", "yaml", "yml", "xml",
        "json", "js", "py", "py3", "csv", "tsv", "md", "rst", "MLmodel", "mlproject",
    };

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void MapRunArtifact(EndpointRoutes app, ServerContext server, string route) =>
        app.MapGet(route, async context =>
        {
            var path = CheckPath(RequestJson.Query(context, "path"));
            var runId = RequestJson.Query(context, "run_id") is { Length: > 0 } id ? id : RequestJson.Query(context, "run_uuid");
            var run = await server.Store.GetRunAsync(RequestJson.Required(runId, "run_id"), context.RequestAborted).ConfigureAwait(false);
            await SendAsync(context, server, run.Info.ArtifactUri, path).ConfigureAwait(false);
        });

    public static void MapModelVersionArtifact(EndpointRoutes app, ServerContext server, string route) =>
        app.MapGet(route, async context =>
        {
            var path = CheckPath(RequestJson.Query(context, "path"));
            var name = RequestJson.Required(RequestJson.Query(context, "name"), "name");
            var versionText = RequestJson.Required(RequestJson.Query(context, "version"), "version");
            if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw MlflowException.InvalidParameter($"Model version must be an integer, got '{Excerpt.Of(versionText)}'");
            }

            var registry = server.RequireRegistry();
            var location = await registry.GetModelVersionDownloadUriAsync(name, version, context.RequestAborted).ConfigureAwait(false);
            if (ModelUri.IsRunsUri(location))
            {
                // MLflow's server cannot follow a runs:/ source when it proxies artifacts; the run's own artifact folder is what it names.
                var runs = ModelUri.Parse(location);
                var run = await server.Store.GetRunAsync(runs.RunId!, context.RequestAborted).ConfigureAwait(false);
                await SendAsync(context, server, run.Info.ArtifactUri, ArtifactPath.Combine(runs.ArtifactPath, path)).ConfigureAwait(false);
                return;
            }

            await SendAsync(context, server, location, path).ConfigureAwait(false);
        });

    /// <summary>
    /// MLflow's path check for these routes: decoded until it stops changing (so <c>%252e%252e</c> is seen as <c>..</c>), then no
    /// <c>#</c>, no <c>..</c> segment, not absolute, no drive letter, no backslash.
    /// </summary>
    public static string CheckPath(string? path)
    {
        var given = RequestJson.Required(path, "path");
        var decoded = given;
        for (var round = 0; ; round++)
        {
            var next = WebUtility.UrlDecode(decoded.Replace("+", "%2B", StringComparison.Ordinal));
            if (next == decoded)
            {
                break;
            }

            if (round == MaxDecodeRounds)
            {
                throw MlflowException.InvalidParameter("Invalid path");
            }

            decoded = next;
        }

        ArtifactRoots.CheckPath(decoded);
        var normalized = ArtifactRoots.CheckPath(given);
        return normalized.Length > 0 ? normalized : throw MlflowException.InvalidParameter("Invalid path: it names the artifact root, which is a folder; give the path of a file.");
    }

    /// <summary>The content type MLflow sends for a file name.</summary>
    public static string ContentTypeOf(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        var extension = dot < 0 ? fileName : fileName[(dot + 1)..];
        if (TextExtensions.Contains(extension))
        {
            return "text/plain";
        }

        return ContentTypes.TryGetContentType(fileName, out var type) ? type : "application/octet-stream";
    }

    public static async Task SendAsync(HttpContext context, ServerContext server, string artifactUri, string path, bool attachment = true)
    {
        var repository = server.OpenArtifacts(artifactUri);
        var stream = await repository.OpenReadAsync(path, context.RequestAborted).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var name = path[(path.LastIndexOf('/') + 1)..];
            var headers = context.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.XContentTypeOptions = "nosniff";

            // An HTML or SVG artifact opened directly runs no script and reaches nothing of this origin.
            headers.ContentSecurityPolicy = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";
            var result = Results.Stream(stream, ContentTypeOf(name), fileDownloadName: attachment ? name : null, enableRangeProcessing: stream.CanSeek);
            await result.ExecuteAsync(context).ConfigureAwait(false);
        }
    }
}
