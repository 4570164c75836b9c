using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Tracking.Protocol;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Server.Endpoints;

/// <summary>
/// The model registry endpoints (the model registry section of MLflow's REST API documentation, https://mlflow.org/docs/latest/rest-api.html), translated to <see cref="IModelRegistryStore"/> calls:
/// GET for reads (parameters in the query string), POST for creates and sets, PATCH for updates and DELETE for deletions,
/// whose parameters come in a JSON body as MLflow's client sends them (the query string is read for any field the body lacks).
/// </summary>
internal static partial class RegistryEndpoints
{
    /// <summary>Writes are not cancelled by the client going away, so that an applied write's answer reaches the idempotency cache.</summary>
    private static readonly CancellationToken WriteToken = CancellationToken.None;

    private static RestJsonContext Json => RestJsonContext.Default;

    public static void Map(EndpointRoutes app, ServerContext server, string prefix)
    {
        MapRegisteredModels(app, server, prefix);
        MapModelVersions(app, server, prefix);
    }

    /// <summary>Maps a JSON-body endpoint for POST, PATCH or DELETE.</summary>
    private static void Body<TBody>(EndpointRoutes app, string method, string route, JsonTypeInfo<TBody> type, ServerContext server, Func<TBody, HttpContext, IModelRegistryStore, Task> handle, bool write = true)
        where TBody : new() =>
        app.Map(
            method,
            route,
            context =>
            {
                var registry = server.RequireRegistry();
                return RequestJson.WithBodyAsync(context, server, type, server.Options.MaxRequestBodyBytes, (body, c) => handle(body, c, registry));
            },
            write);

    /// <summary>Maps a GET endpoint.</summary>
    private static void Get(EndpointRoutes app, string route, ServerContext server, Func<HttpContext, IModelRegistryStore, Task> handle) =>
        app.MapGet(route, context => handle(context, server.RequireRegistry()));

    /// <summary>A body field, else the query parameter of that name (DELETE calls from clients that send query parameters).</summary>
    private static string? Field(string? fromBody, HttpContext context, string name) =>
        fromBody ?? RequestJson.Query(context, name);

    private static string Required(string? value, string name) => RequestJson.Required(value, name);

    /// <summary>A version field: an integer, else 400; whether the number exists (0 does not) is the store's answer, as on a direct call.</summary>
    private static int VersionNumber(string? text) =>
        int.TryParse(Required(text, "version"), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : ModelVersionNumber.Parse(text);

    private static Task Empty(HttpContext context) => RequestJson.WriteAsync(context, EmptyMessage.Instance, Json.EmptyMessage);

    private static Task WriteModel(HttpContext context, RegisteredModel model) =>
        RequestJson.WriteAsync(context, new RegisteredModelResponse { RegisteredModel = RegistryMapping.ToMessage(model) }, Json.RegisteredModelResponse);

    private static Task WriteVersion(HttpContext context, ModelVersion version) =>
        RequestJson.WriteAsync(context, new ModelVersionResponse { ModelVersion = RegistryMapping.ToMessage(version) }, Json.ModelVersionResponse);

    private static int MaxResults(HttpContext context, int defaultValue)
    {
        var value = RequestJson.QueryInt64(context, "max_results") ?? defaultValue;
        return value < 1
            ? throw MlflowException.InvalidParameter($"Invalid value {value} for parameter 'max_results' supplied. It must be a positive integer")
            : RequestJson.ToInt32(value, "max_results");
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static void MapRegisteredModels(EndpointRoutes app, ServerContext server, string prefix)
    {
        var models = prefix + "/registered-models";
        Body(app, HttpMethods.Post, models + "/create", Json.CreateRegisteredModelBody, server, async (body, context, registry) =>
        {
            var tags = (body.Tags ?? []).Select(t => new RegisteredModelTag(Required(t.Key, "tags.key"), t.Value ?? string.Empty)).ToArray();
            var model = await registry.CreateRegisteredModelAsync(Required(body.Name, "name"), tags, NullIfEmpty(body.Description), WriteToken).ConfigureAwait(false);
            await Auth.AuthSession.CreatedAsync(context, Auth.ResourceKind.RegisteredModel, model.Name).ConfigureAwait(false);
            await WriteModel(context, model).ConfigureAwait(false);
        });

        Get(app, models + "/get", server, async (context, registry) =>
        {
            var model = await registry.GetRegisteredModelAsync(Required(RequestJson.Query(context, "name"), "name"), context.RequestAborted).ConfigureAwait(false);
            await WriteModel(context, model).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Post, models + "/rename", Json.RenameRegisteredModelBody, server, async (body, context, registry) =>
        {
            var model = await registry.RenameRegisteredModelAsync(Required(body.Name, "name"), Required(body.NewName, "new_name"), WriteToken).ConfigureAwait(false);
            await Auth.AuthSession.ModelRenamedAsync(context, body.Name!, model.Name).ConfigureAwait(false);
            await WriteModel(context, model).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Patch, models + "/update", Json.RegisteredModelBody, server, async (body, context, registry) =>
        {
            var model = await registry.UpdateRegisteredModelAsync(Required(body.Name, "name"), body.Description, WriteToken).ConfigureAwait(false);
            await WriteModel(context, model).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Delete, models + "/delete", Json.RegisteredModelBody, server, async (body, context, registry) =>
        {
            var name = Required(Field(body.Name, context, "name"), "name");
            await registry.DeleteRegisteredModelAsync(name, WriteToken).ConfigureAwait(false);
            await Auth.AuthSession.ModelDeletedAsync(context, name).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Get(app, models + "/search", server, async (context, registry) =>
        {
            var request = new SearchRegisteredModelsRequest
            {
                Filter = NullIfEmpty(RequestJson.Query(context, "filter")),
                MaxResults = MaxResults(context, 100),
                OrderBy = RequestJson.QueryAll(context, "order_by") ?? [],
                PageToken = RequestJson.PageToken(RequestJson.Query(context, "page_token")),
            };
            var page = await Auth.AuthSession.ReadablePageAsync(
                context,
                Auth.ResourceKind.RegisteredModel,
                request.MaxResults,
                request.PageToken,
                (max, token) => registry.SearchRegisteredModelsAsync(request with { MaxResults = max, PageToken = token }, context.RequestAborted),
                m => m.Name).ConfigureAwait(false);
            var response = new SearchRegisteredModelsResponse
            {
                RegisteredModels = page.Items.Count == 0 ? null : page.Items.Select(RegistryMapping.ToMessage).ToList(),
                NextPageToken = page.NextPageToken,
            };
            await RequestJson.WriteAsync(context, response, Json.SearchRegisteredModelsResponse).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Post, models + "/set-tag", Json.RegisteredModelTagBody, server, async (body, context, registry) =>
        {
            await registry.SetRegisteredModelTagAsync(Required(body.Name, "name"), new RegisteredModelTag(Required(body.Key, "key"), body.Value ?? string.Empty), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Delete, models + "/delete-tag", Json.RegisteredModelTagBody, server, async (body, context, registry) =>
        {
            await registry.DeleteRegisteredModelTagAsync(Required(Field(body.Name, context, "name"), "name"), Required(Field(body.Key, context, "key"), "key"), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Post, models + "/alias", Json.RegisteredModelAliasBody, server, async (body, context, registry) =>
        {
            await registry.SetRegisteredModelAliasAsync(Required(body.Name, "name"), Required(body.Alias, "alias"), VersionNumber(body.Version), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Body(app, HttpMethods.Delete, models + "/alias", Json.RegisteredModelAliasBody, server, async (body, context, registry) =>
        {
            await registry.DeleteRegisteredModelAliasAsync(Required(Field(body.Name, context, "name"), "name"), Required(Field(body.Alias, context, "alias"), "alias"), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Get(app, models + "/alias", server, async (context, registry) =>
        {
            var version = await registry.GetModelVersionByAliasAsync(Required(RequestJson.Query(context, "name"), "name"), Required(RequestJson.Query(context, "alias"), "alias"), context.RequestAborted).ConfigureAwait(false);
            await WriteVersion(context, version).ConfigureAwait(false);
        });

        static async Task LatestVersions(GetLatestVersionsBody body, HttpContext context, IModelRegistryStore registry)
        {
            var stages = (body.Stages ?? []).Select(ModelVersionStages.Parse).ToArray();
            var versions = await registry.GetLatestVersionsAsync(Required(body.Name, "name"), stages, context.RequestAborted).ConfigureAwait(false);
            var response = new ModelVersionsResponse { ModelVersions = versions.Count == 0 ? null : versions.Select(RegistryMapping.ToMessage).ToList() };
            await RequestJson.WriteAsync(context, response, Json.ModelVersionsResponse).ConfigureAwait(false);
        }

        Body(app, HttpMethods.Post, models + "/get-latest-versions", Json.GetLatestVersionsBody, server, LatestVersions, write: false);
        Get(app, models + "/get-latest-versions", server, (context, registry) => LatestVersions(
            new GetLatestVersionsBody { Name = RequestJson.Query(context, "name"), Stages = RequestJson.QueryAll(context, "stages") },
            context,
            registry));
    }
}
