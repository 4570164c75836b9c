using Microsoft.AspNetCore.Http;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Protocol;

namespace MlWorkflow.Server.Endpoints;

/// <summary>
/// The proxy's multipart upload routes (MLflow's artifact store documentation, https://mlflow.org/docs/latest/tracking/artifacts-stores.html):
/// <c>POST mpu/create/&lt;path&gt;</c> starts an upload of <c>&lt;path&gt;/&lt;name of the client's file&gt;</c> and answers one presigned URL a
/// part, which the client PUTs to straight (not through this server); <c>mpu/complete</c> and <c>mpu/abort</c> end it. A destination
/// that cannot (a local folder) answers 501 NOT_IMPLEMENTED with MLflow's message, and the client falls back to one PUT.
/// </summary>
internal static class MultipartEndpoints
{
    /// <summary>MLflow's message for a destination without multipart upload; its clients fall back to a single PUT on it.</summary>
    public const string NotSupported = "Multipart upload is not supported for the current artifact repository";

    // A complete body lists up to 10,000 parts, each with its presigned URL (a kilobyte or two).
    private const long MaxBodyBytes = 32L * 1024 * 1024;

    public static void Map(EndpointRoutes app, ServerContext server, string prefix)
    {
        app.MapPost(prefix + "/mpu/create/{**path}", async context =>
        {
            var (repository, folder) = await ResolveAsync(server, context).ConfigureAwait(false);
            var body = await RequestJson.ReadBodyAsync(context, MultipartJsonContext.Default.CreateMultipartUploadBody, MaxBodyBytes).ConfigureAwait(false);
            var file = ArtifactFile(folder, body.Path);
            var count = RequestJson.Required(body.NumParts, "num_parts");
            if (count is < 1 or > 10_000)
            {
                throw MlflowException.InvalidParameter($"Invalid value {count} for parameter 'num_parts': a multipart upload has 1 to 10000 parts.");
            }

            var upload = await repository.CreateMultipartUploadAsync(file, (int)count, context.RequestAborted).ConfigureAwait(false);
            var answer = new CreateMultipartUploadAnswer
            {
                UploadId = upload.UploadId,
                Credentials = [.. upload.Parts.Select(p => new MultipartCredential { Url = p.Url, PartNumber = p.PartNumber, Headers = new Dictionary<string, string>(p.Headers) })],
            };
            await RequestJson.WriteAsync(context, answer, MultipartJsonContext.Default.CreateMultipartUploadAnswer).ConfigureAwait(false);
        });

        app.MapPost(prefix + "/mpu/complete/{**path}", async context =>
        {
            var (repository, folder) = await ResolveAsync(server, context).ConfigureAwait(false);
            var body = await RequestJson.ReadBodyAsync(context, MultipartJsonContext.Default.CompleteMultipartUploadBody, MaxBodyBytes).ConfigureAwait(false);
            var file = ArtifactFile(folder, body.Path);
            var uploadId = RequestJson.Required(body.UploadId, "upload_id");
            var given = body.Parts is { Count: > 0 } list ? list : throw MlflowException.InvalidParameter("Missing value for required parameter 'parts'. See the API docs for more information about request parameters.");
            var parts = given
                .Select((p, i) => new ArtifactUploadedPart(
                    RequestJson.ToInt32(RequestJson.Required(p.PartNumber, $"parts[{i}].part_number"), $"parts[{i}].part_number"),
                    RequestJson.Required(p.ETag, $"parts[{i}].etag")))
                .ToList();
            await repository.CompleteMultipartUploadAsync(file, uploadId, parts, context.RequestAborted).ConfigureAwait(false);
            await RequestJson.WriteAsync(context, EmptyMessage.Instance, RestJsonContext.Default.EmptyMessage).ConfigureAwait(false);
        });

        app.MapPost(prefix + "/mpu/abort/{**path}", async context =>
        {
            var (repository, folder) = await ResolveAsync(server, context).ConfigureAwait(false);
            var body = await RequestJson.ReadBodyAsync(context, MultipartJsonContext.Default.AbortMultipartUploadBody, MaxBodyBytes).ConfigureAwait(false);
            var file = ArtifactFile(folder, body.Path);
            var uploadId = RequestJson.Required(body.UploadId, "upload_id");
            await repository.AbortMultipartUploadAsync(file, uploadId, context.RequestAborted).ConfigureAwait(false);
            await RequestJson.WriteAsync(context, EmptyMessage.Instance, RestJsonContext.Default.EmptyMessage).ConfigureAwait(false);
        });
    }

    /// <summary>The destination's repository and the checked folder of the route, or 501 when the destination cannot take parts.</summary>
    private static async Task<(IMultipartArtifactRepository Repository, string Folder)> ResolveAsync(ServerContext server, HttpContext context)
    {
        var (repository, folder) = await ArtifactEndpoints.ResolveAsync(server, context).ConfigureAwait(false);
        return repository is IMultipartArtifactRepository multipart ? (multipart, folder) : throw new MlflowException(ErrorCode.NotImplemented, NotSupported);
    }

    /// <summary>The artifact a client's file becomes: the route's folder and the file's name (its local folders are the client's own), checked like any API path.</summary>
    private static string ArtifactFile(string folder, string? clientPath)
    {
        var path = RequestJson.Required(clientPath, "path");
        var name = path[(path.LastIndexOfAny(['/', '\\']) + 1)..];
        if (name.Length == 0 || name is "." or "..")
        {
            throw MlflowException.InvalidParameter($"Invalid path '{Excerpt.Of(path)}': give the path of the file being uploaded, whose name the artifact takes.");
        }

        return ArtifactRoots.CheckPath(ArtifactPath.Combine(folder, name));
    }
}
