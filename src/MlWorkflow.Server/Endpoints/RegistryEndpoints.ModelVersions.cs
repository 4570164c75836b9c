using Microsoft.AspNetCore.Http;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Protocol;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Server.Endpoints;

/// <summary>Model version endpoints: create, get, update, delete, search, transition-stage, tags, download URI.</summary>
internal static partial class RegistryEndpoints
{
    private static void MapModelVersions(EndpointRoutes app, ServerContext server, string prefix)
    {
        var versions = prefix + "/model-versions";
        Body(app, HttpMethods.Post, versions + "/create", Json.CreateModelVersionBody, server, async (body, context, registry) =>
        {
            var name = Required(body.Name, "name");
            var source = Required(body.Source, "source");
            var runId = NullIfEmpty(body.RunId);
            await CheckSourceAsync(server, source, runId, context.RequestAborted).ConfigureAwait(false);
            var request = new CreateModelVersionRequest(name, source)
            {
                RunId = runId,
                Tags = (body.Tags ?? []).Select(t => new ModelVersionTag(Required(t.Key, "tags.key"), t.Value ?? string.Empty)).ToArray(),
                RunLink = NullIfEmpty(body.RunLink),
                Description = NullIfEmpty(body.Description),
            };
            var version = await registry.CreateModelVersionAsync(request, WriteToken).ConfigureAwait(false);
            await WriteVersion(context, version).ConfigureAwait(false);
        });

        Get(app, versions + "/get", server, async (context, registry) =>
        {
            var version = await registry.GetModelVersionAsync(Required(RequestJson.Query(context, "name"), "name"), VersionNumber(RequestJson.Query(context, "version")), context.RequestAborted).ConfigureAwait(false);
            await WriteVersion(context, version).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Patch, versions + "/update", Json.ModelVersionBody, server, async (body, context, registry) =>
        {
            var version = await registry.UpdateModelVersionAsync(Required(body.Name, "name"), VersionNumber(body.Version), body.Description, WriteToken).ConfigureAwait(false);
            await WriteVersion(context, version).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Delete, versions + "/delete", Json.ModelVersionBody, server, async (body, context, registry) =>
        {
            await registry.DeleteModelVersionAsync(Required(Field(body.Name, context, "name"), "name"), VersionNumber(Field(body.Version, context, "version")), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Get(app, versions + "/search", server, async (context, registry) =>
        {
            var request = new SearchModelVersionsRequest
            {
                Filter = NullIfEmpty(RequestJson.Query(context, "filter")),
                MaxResults = MaxResults(context, SearchModelVersionsRequest.MaxResultsLimit),
                OrderBy = RequestJson.QueryAll(context, "order_by") ?? [],
                PageToken = RequestJson.PageToken(RequestJson.Query(context, "page_token")),
            };
            var page = await Auth.AuthSession.ReadablePageAsync(
                context,
                Auth.ResourceKind.RegisteredModel,
                request.MaxResults,
                request.PageToken,
                (max, token) => registry.SearchModelVersionsAsync(request with { MaxResults = max, PageToken = token }, context.RequestAborted),
                v => v.Name).ConfigureAwait(false);
            var response = new SearchModelVersionsResponse
            {
                ModelVersions = page.Items.Count == 0 ? null : page.Items.Select(RegistryMapping.ToMessage).ToList(),
                NextPageToken = page.NextPageToken,
            };
            await RequestJson.WriteAsync(context, response, Json.SearchModelVersionsResponse).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Post, versions + "/transition-stage", Json.TransitionModelVersionStageBody, server, async (body, context, registry) =>
        {
            var name = Required(body.Name, "name");
            var number = VersionNumber(body.Version);
            var stage = ModelVersionStages.Parse(Required(body.Stage, "stage"));
            var archive = RequestJson.Required(body.ArchiveExistingVersions, "archive_existing_versions");
            var version = await registry.TransitionModelVersionStageAsync(name, number, stage, archive, WriteToken).ConfigureAwait(false);
            await WriteVersion(context, version).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Post, versions + "/set-tag", Json.ModelVersionTagBody, server, async (body, context, registry) =>
        {
            var tag = new ModelVersionTag(Required(body.Key, "key"), body.Value ?? string.Empty);
            await registry.SetModelVersionTagAsync(Required(body.Name, "name"), VersionNumber(body.Version), tag, WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Delete, versions + "/delete-tag", Json.ModelVersionTagBody, server, async (body, context, registry) =>
        {
            var name = Required(Field(body.Name, context, "name"), "name");
            var number = VersionNumber(Field(body.Version, context, "version"));
            await registry.DeleteModelVersionTagAsync(name, number, Required(Field(body.Key, context, "key"), "key"), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Get(app, versions + "/get-download-uri", server, async (context, registry) =>
        {
            var uri = await registry.GetModelVersionDownloadUriAsync(Required(RequestJson.Query(context, "name"), "name"), VersionNumber(RequestJson.Query(context, "version")), context.RequestAborted).ConfigureAwait(false);
            await RequestJson.WriteAsync(context, new ModelVersionDownloadUriResponse { ArtifactUri = uri }, Json.ModelVersionDownloadUriResponse).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// MLflow's server-side source check: a local source (a path or <c>file:</c> URI) is accepted only with a <c>run_id</c> and
    /// inside that run's local artifact folder, so that a client cannot register (and later read) any file of the server's disk;
    /// other sources must not hold <c>..</c> segments, plain or URL-encoded.
    /// </summary>
    private static async Task CheckSourceAsync(ServerContext server, string source, string? runId, CancellationToken cancellationToken)
    {
        if (source.Contains('\0', StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter("Invalid model version source: it contains a NUL character.");
        }

        var isLocal = source.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || !FileUris.HasScheme(source);
        if (!isLocal)
        {
            var decoded = Uri.UnescapeDataString(source).Replace('\\', '/');
            if (decoded.Split('/').Contains(".."))
            {
                throw MlflowException.InvalidParameter($"Invalid model version source: '{Excerpt.Of(source)}'. Sources must not contain '..' path segments.");
            }

            return;
        }

        var invalid = MlflowException.InvalidParameter(
            $"Invalid model version source: '{Excerpt.Of(source)}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.");
        if (runId is null)
        {
            throw invalid;
        }

        var run = await server.Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        var runRoot = run.Info.ArtifactUri;
        if (FileUris.HasScheme(runRoot) && !runRoot.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw invalid;
        }

        string runPath;
        string sourcePath;
        try
        {
            runPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(FileUris.ToPath(runRoot)));
            sourcePath = Path.GetFullPath(FileUris.ToPath(source));
        }
        catch (Exception e) when (e is MlflowException or ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw invalid;
        }

        if (!string.Equals(sourcePath, runPath, StringComparison.Ordinal) && !sourcePath.StartsWith(runPath + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw invalid;
        }
    }
}
