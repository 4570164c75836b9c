using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Tracking.Protocol;

namespace MlWorkflow.Server.Endpoints;

/// <summary>The REST 2.0 tracking endpoints (MLflow's REST API documentation, https://mlflow.org/docs/latest/rest-api.html), translated to <see cref="ITrackingStore"/> calls.</summary>
internal static partial class TrackingEndpoints
{
    /// <summary>MLflow's limit on a <c>log-batch</c> body.</summary>
    public const int MaxLogBatchBytes = 1_000_000;

    /// <summary>
    /// Writes are never cancelled by the client going away: a write that started completes, so that its answer can be
    /// remembered for an idempotent replay instead of leaving half a batch behind for the retry to double.
    /// </summary>
    private static readonly CancellationToken WriteToken = CancellationToken.None;

    private static RestJsonContext Json => RestJsonContext.Default;

    public static void Map(EndpointRoutes app, ServerContext server, string prefix)
    {
        MapExperiments(app, server, prefix);
        MapRuns(app, server, prefix);
        MapHistory(app, server, prefix);
    }

    private static void Post<TBody>(EndpointRoutes app, string route, JsonTypeInfo<TBody> type, ServerContext server, Func<TBody, HttpContext, Task> handle, long? limit = null, bool write = true)
        where TBody : new() =>
        app.MapPost(
            route,
            context => RequestJson.WithBodyAsync(context, server, type, limit ?? server.Options.MaxRequestBodyBytes, handle),
            write);

    private static Task Empty(HttpContext context) => RequestJson.WriteAsync(context, EmptyMessage.Instance, Json.EmptyMessage);

    private static ExperimentMessage ToClient(ServerContext server, Experiment experiment)
    {
        var message = RestMapping.ToMessage(experiment);
        message.ArtifactLocation = server.ToClientUri(experiment.ArtifactLocation);
        return message;
    }

    private static RunInfoMessage ToClient(ServerContext server, RunInfo info)
    {
        var message = RestMapping.ToMessage(info);
        message.ArtifactUri = server.ToClientUri(info.ArtifactUri);
        return message;
    }

    private static RunMessage ToClient(ServerContext server, Run run)
    {
        var message = RestMapping.ToMessage(run);
        message.Info = ToClient(server, run.Info);
        return message;
    }

    private static void MapExperiments(EndpointRoutes app, ServerContext server, string prefix)
    {
        var store = server.Store;
        Post(app, prefix + "/experiments/create", Json.CreateExperimentBody, server, async (body, context) =>
        {
            var name = RequestJson.Required(body.Name, "name");
            var tags = (body.Tags ?? []).Select(t => new ExperimentTag(RequestJson.Required(t.Key, "tags.key"), t.Value ?? string.Empty)).ToArray();
            var location = string.IsNullOrEmpty(body.ArtifactLocation) ? null : body.ArtifactLocation;
            if (location is not null && (location.Contains('#', StringComparison.Ordinal) || location.Contains(';', StringComparison.Ordinal) || location.StartsWith("runs:", StringComparison.OrdinalIgnoreCase)))
            {
                throw MlflowException.InvalidParameter($"Invalid artifact_location '{Excerpt.Of(location)}': it must not contain a fragment ('#') or parameters (';') nor be a runs: URI.");
            }

            var id = await store.CreateExperimentAsync(name, location, tags, WriteToken).ConfigureAwait(false);
            await Auth.AuthSession.CreatedAsync(context, Auth.ResourceKind.Experiment, id).ConfigureAwait(false);
            await RequestJson.WriteAsync(context, new CreateExperimentResponse { ExperimentId = id }, Json.CreateExperimentResponse).ConfigureAwait(false);
        });

        app.MapGet(prefix + "/experiments/get", async context =>
        {
            var id = RequestJson.Required(RequestJson.Query(context, "experiment_id"), "experiment_id");
            var experiment = await store.GetExperimentAsync(id, context.RequestAborted).ConfigureAwait(false);
            await RequestJson.WriteAsync(context, new ExperimentResponse { Experiment = ToClient(server, experiment) }, Json.ExperimentResponse).ConfigureAwait(false);
        });

        app.MapGet(prefix + "/experiments/get-by-name", async context =>
        {
            var name = RequestJson.Required(RequestJson.Query(context, "experiment_name"), "experiment_name");
            var experiment = await store.GetExperimentByNameAsync(name, context.RequestAborted).ConfigureAwait(false)
                ?? throw MlflowException.NotFound($"Could not find experiment with name '{Excerpt.Of(name)}'");
            await RequestJson.WriteAsync(context, new ExperimentResponse { Experiment = ToClient(server, experiment) }, Json.ExperimentResponse).ConfigureAwait(false);
        });

        async Task SearchExperiments(SearchExperimentsBody body, HttpContext context)
        {
            var maxResults = body.MaxResults ?? 0;
            if (maxResults < 1)
            {
                throw MlflowException.InvalidParameter($"Invalid value {maxResults} for parameter 'max_results' supplied. It must be a positive integer");
            }

            var request = new SearchExperimentsRequest
            {
                MaxResults = RequestJson.ToInt32(maxResults, "max_results"),
                PageToken = RequestJson.PageToken(body.PageToken),
                Filter = string.IsNullOrEmpty(body.Filter) ? null : body.Filter,
                OrderBy = body.OrderBy ?? [],
                ViewType = RestMapping.ParseViewType(body.ViewType, "view_type"),
            };
            // With auth, a page lists only what the caller may read.
            var page = await Auth.AuthSession.ReadablePageAsync(
                context,
                Auth.ResourceKind.Experiment,
                request.MaxResults,
                request.PageToken,
                (max, token) => store.SearchExperimentsAsync(request with { MaxResults = max, PageToken = token }, context.RequestAborted),
                e => e.ExperimentId).ConfigureAwait(false);
            var response = new SearchExperimentsResponse
            {
                Experiments = page.Items.Count == 0 ? null : page.Items.Select(e => ToClient(server, e)).ToList(),
                NextPageToken = page.NextPageToken,
            };
            await RequestJson.WriteAsync(context, response, Json.SearchExperimentsResponse).ConfigureAwait(false);
        }

        Post(app, prefix + "/experiments/search", Json.SearchExperimentsBody, server, SearchExperiments, write: false);
        app.MapGet(prefix + "/experiments/search", context => SearchExperiments(
            new SearchExperimentsBody
            {
                MaxResults = RequestJson.QueryInt64(context, "max_results"),
                PageToken = RequestJson.Query(context, "page_token"),
                Filter = RequestJson.Query(context, "filter"),
                OrderBy = RequestJson.QueryAll(context, "order_by"),
                ViewType = RequestJson.Query(context, "view_type"),
            },
            context));

        Post(app, prefix + "/experiments/update", Json.UpdateExperimentBody, server, async (body, context) =>
        {
            await store.RenameExperimentAsync(RequestJson.Required(body.ExperimentId, "experiment_id"), RequestJson.Required(body.NewName, "new_name"), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Post(app, prefix + "/experiments/delete", Json.ExperimentIdBody, server, async (body, context) =>
        {
            var id = RequestJson.Required(body.ExperimentId, "experiment_id");
            if (id == Experiment.DefaultExperimentId)
            {
                // A client mistake whatever the store says (MLflow's file store raises it as INTERNAL_ERROR, its SQL store as a 400).
                throw MlflowException.InvalidParameter($"Cannot delete the default experiment '{Experiment.DefaultExperimentId}'. This is an internally reserved experiment.");
            }

            await store.DeleteExperimentAsync(id, WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Post(app, prefix + "/experiments/restore", Json.ExperimentIdBody, server, async (body, context) =>
        {
            await store.RestoreExperimentAsync(RequestJson.Required(body.ExperimentId, "experiment_id"), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Post(app, prefix + "/experiments/set-experiment-tag", Json.SetExperimentTagBody, server, async (body, context) =>
        {
            var tag = new ExperimentTag(RequestJson.Required(body.Key, "key"), body.Value ?? string.Empty);
            await store.SetExperimentTagAsync(RequestJson.Required(body.ExperimentId, "experiment_id"), tag, WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });
    }
}
