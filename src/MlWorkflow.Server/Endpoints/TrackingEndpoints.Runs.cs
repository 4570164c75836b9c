using Microsoft.AspNetCore.Http;
using MlWorkflow.Server.Hosting;
using MlWorkflow.Server.Idempotency;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Protocol;

namespace MlWorkflow.Server.Endpoints;

/// <summary>Run endpoints: create, get, update, delete, restore, search, logging, history and artifact listing.</summary>
internal static partial class TrackingEndpoints
{
    /// <summary>The longest run id MLflow accepts (its run id pattern allows 256 characters).</summary>
    private const int MaxRunIdLength = 256;

    private static string RunId(string? runId, string? runUuid) => RunId(string.IsNullOrEmpty(runId) ? runUuid : runId);

    /// <summary>A required run id, refused before any store work when longer than MLflow allows (a 30 MB id costs the store memory).</summary>
    private static string RunId(string? runId)
    {
        var id = RequestJson.Required(runId, "run_id");
        return id.Length <= MaxRunIdLength
            ? id
            : throw MlflowException.InvalidParameter($"Invalid value '{Excerpt.Of(id)}' for parameter 'run_id' supplied: a run id has at most {MaxRunIdLength} characters.");
    }

    /// <summary>The metrics to append: all of them, or for the retry of a write of unknown outcome, those not stored yet.</summary>
    private static Task<Metric[]> RetrySafeAsync(HttpContext context, ITrackingStore store, string runId, Metric[] metrics) =>
        IdempotentWrites.IsRetryOfUnknownOutcome(context) ? MetricDedupe.WithoutStoredAsync(store, runId, metrics, WriteToken) : Task.FromResult(metrics);

    /// <summary>The metrics of a log-batch body, checked for their required fields (the field name is only formatted for an error: this runs for every point).</summary>
    private static Metric[] ToMetrics(List<MetricMessage>? messages)
    {
        if (messages is null || messages.Count == 0)
        {
            return [];
        }

        var metrics = new Metric[messages.Count];
        for (var i = 0; i < metrics.Length; i++)
        {
            var m = messages[i];
            if (string.IsNullOrEmpty(m.Key) || m.Value is not { } value || m.Timestamp is not { } timestamp)
            {
                var field = string.IsNullOrEmpty(m.Key) ? "key" : m.Value is null ? "value" : "timestamp";
                throw MlflowException.InvalidParameter($"Missing value for required parameter 'metrics[{i}].{field}'. See the API docs for more information about request parameters.");
            }

            metrics[i] = new Metric(m.Key, value, timestamp, m.Step ?? 0);
        }

        return metrics;
    }

    private static void MapRuns(EndpointRoutes app, ServerContext server, string prefix)
    {
        var store = server.Store;
        Post(app, prefix + "/runs/create", Json.CreateRunBody, server, async (body, context) =>
        {
            var request = new CreateRunRequest
            {
                ExperimentId = body.ExperimentId ?? string.Empty,
                RunName = string.IsNullOrEmpty(body.RunName) ? null : body.RunName,
                UserId = body.UserId ?? string.Empty,
                StartTime = body.StartTime,
                Tags = (body.Tags ?? []).Select(t => new RunTag(RequestJson.Required(t.Key, "tags.key"), t.Value ?? string.Empty)).ToArray(),
            };
            var run = await store.CreateRunAsync(request, WriteToken).ConfigureAwait(false);
            await RequestJson.WriteAsync(context, new RunResponse { Run = ToClient(server, run) }, Json.RunResponse).ConfigureAwait(false);
        });

        app.MapGet(prefix + "/runs/get", async context =>
        {
            var runId = RunId(RequestJson.Query(context, "run_id"), RequestJson.Query(context, "run_uuid"));
            var run = await store.GetRunAsync(runId, context.RequestAborted).ConfigureAwait(false);
            await RequestJson.WriteAsync(context, new RunResponse { Run = ToClient(server, run) }, Json.RunResponse).ConfigureAwait(false);
        });

        Post(app, prefix + "/runs/update", Json.UpdateRunBody, server, async (body, context) =>
        {
            var runId = RunId(body.RunId, body.RunUuid);
            var status = body.Status is null
                ? (await store.GetRunAsync(runId, context.RequestAborted).ConfigureAwait(false)).Info.Status
                : RestMapping.ParseRunStatus(body.Status);
            var info = await store.UpdateRunInfoAsync(runId, status, body.EndTime, string.IsNullOrEmpty(body.RunName) ? null : body.RunName, WriteToken).ConfigureAwait(false);
            await RequestJson.WriteAsync(context, new UpdateRunResponse { RunInfo = ToClient(server, info) }, Json.UpdateRunResponse).ConfigureAwait(false);
        });

        Post(app, prefix + "/runs/delete", Json.RunIdBody, server, async (body, context) =>
        {
            await store.DeleteRunAsync(RunId(body.RunId, body.RunUuid), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Post(app, prefix + "/runs/restore", Json.RunIdBody, server, async (body, context) =>
        {
            await store.RestoreRunAsync(RunId(body.RunId, body.RunUuid), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Post(app, prefix + "/runs/search", Json.SearchRunsBody, server, async (body, context) =>
        {
            var request = new SearchRunsRequest
            {
                ExperimentIds = body.ExperimentIds ?? [],
                Filter = string.IsNullOrEmpty(body.Filter) ? null : body.Filter,
                RunViewType = RestMapping.ParseViewType(body.RunViewType, "run_view_type"),
                MaxResults = body.MaxResults ?? 1000,
                OrderBy = body.OrderBy ?? [],
                PageToken = RequestJson.PageToken(body.PageToken),
            };
            var page = await store.SearchRunsAsync(request, context.RequestAborted).ConfigureAwait(false);
            var response = new SearchRunsResponse
            {
                Runs = page.Items.Count == 0 ? null : page.Items.Select(r => ToClient(server, r)).ToList(),
                NextPageToken = page.NextPageToken,
            };
            await RequestJson.WriteAsync(context, response, Json.SearchRunsResponse).ConfigureAwait(false);
        },
        write: false);

        Post(app, prefix + "/runs/log-metric", Json.LogMetricBody, server, async (body, context) =>
        {
            var metric = new Metric(
                RequestJson.Required(body.Key, "key"),
                RequestJson.Required(body.Value, "value"),
                RequestJson.Required(body.Timestamp, "timestamp"),
                body.Step ?? 0);
            var runId = RunId(body.RunId, body.RunUuid);
            await store.LogBatchAsync(runId, await RetrySafeAsync(context, store, runId, [metric]).ConfigureAwait(false), [], [], WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Post(app, prefix + "/runs/log-parameter", Json.RunKeyValueBody, server, async (body, context) =>
        {
            var param = new Param(RequestJson.Required(body.Key, "key"), body.Value ?? string.Empty);
            try
            {
                await store.LogBatchAsync(RunId(body.RunId, body.RunUuid), [], [param], [], WriteToken).ConfigureAwait(false);
            }
            catch (MlflowException e) when (e.ErrorCode == ErrorCode.InternalError && e.Message.Contains("Changing param values is not allowed", StringComparison.Ordinal))
            {
                // MLflow answers 400 for a param conflict on the per-call API, whatever the store.
                throw MlflowException.InvalidParameter(e.Message);
            }

            await Empty(context).ConfigureAwait(false);
        });

        Post(app, prefix + "/runs/set-tag", Json.RunKeyValueBody, server, async (body, context) =>
        {
            var tag = new RunTag(RequestJson.Required(body.Key, "key"), body.Value ?? string.Empty);
            await store.LogBatchAsync(RunId(body.RunId, body.RunUuid), [], [], [tag], WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Post(app, prefix + "/runs/delete-tag", Json.RunKeyValueBody, server, async (body, context) =>
        {
            await store.DeleteTagAsync(RunId(body.RunId, body.RunUuid), RequestJson.Required(body.Key, "key"), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Post(
            app,
            prefix + "/runs/log-batch",
            Json.LogBatchBody,
            server,
            async (body, context) =>
            {
                var metrics = ToMetrics(body.Metrics);
                var parameters = (body.Params ?? []).Select((p, i) => new Param(RequestJson.Required(p.Key, $"params[{i}].key"), p.Value ?? string.Empty)).ToArray();
                var tags = (body.Tags ?? []).Select((t, i) => new RunTag(RequestJson.Required(t.Key, $"tags[{i}].key"), t.Value ?? string.Empty)).ToArray();
                var runId = RunId(body.RunId);
                await store.LogBatchAsync(runId, await RetrySafeAsync(context, store, runId, metrics).ConfigureAwait(false), parameters, tags, WriteToken).ConfigureAwait(false);
                await Empty(context).ConfigureAwait(false);
            },
            MaxLogBatchBytes);

        Post(app, prefix + "/runs/log-inputs", Json.LogInputsBody, server, async (body, context) =>
        {
            var datasets = (body.Datasets ?? throw MlflowException.InvalidParameter("Missing value for required parameter 'datasets'. See the API docs for more information about request parameters."))
                .Select(RestMapping.ToEntity).ToArray();
            await store.LogInputsAsync(RunId(body.RunId), datasets, WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        Post(app, prefix + "/runs/log-model", Json.LogModelBody, server, async (body, context) =>
        {
            await store.RecordLoggedModelAsync(RunId(body.RunId), RequestJson.Required(body.ModelJson, "model_json"), WriteToken).ConfigureAwait(false);
            await Empty(context).ConfigureAwait(false);
        });

        app.MapGet(prefix + "/metrics/get-history", async context =>
        {
            var runId = RunId(RequestJson.Query(context, "run_id"), RequestJson.Query(context, "run_uuid"));
            var key = RequestJson.Required(RequestJson.Query(context, "metric_key"), "metric_key");
            var maxResults = RequestJson.QueryInt64(context, "max_results") is { } max ? RequestJson.ToInt32(max, "max_results") : (int?)null;
            var pageToken = RequestJson.PageToken(RequestJson.Query(context, "page_token"));
            var page = await store.GetMetricHistoryAsync(runId, key, maxResults, pageToken, context.RequestAborted).ConfigureAwait(false);
            var response = new MetricHistoryResponse
            {
                Metrics = page.Items.Count == 0 ? null : page.Items.Select(RestMapping.ToMessage).ToList(),
                NextPageToken = page.NextPageToken,
            };
            await RequestJson.WriteAsync(context, response, Json.MetricHistoryResponse).ConfigureAwait(false);
        });

        app.MapGet(prefix + "/artifacts/list", async context =>
        {
            var runId = RunId(RequestJson.Query(context, "run_id"), RequestJson.Query(context, "run_uuid"));
            var path = ArtifactRoots.CheckPath(RequestJson.Query(context, "path"));
            var run = await store.GetRunAsync(runId, context.RequestAborted).ConfigureAwait(false);
            IReadOnlyList<ArtifactFileInfo> files;
            try
            {
                files = await server.ArtifactRepositories.Create(run.Info.ArtifactUri).ListAsync(path, context.RequestAborted).ConfigureAwait(false);
            }
            catch (MlflowException e) when (e.ErrorCode == ErrorCode.NotImplemented)
            {
                throw new MlflowException(ErrorCode.NotImplemented, $"The server cannot reach the artifacts of run '{Excerpt.Of(runId)}' ({Excerpt.Of(run.Info.ArtifactUri)}).");
            }

            var response = new ListArtifactsResponse
            {
                RootUri = server.ToClientUri(run.Info.ArtifactUri),
                Files = files.Count == 0 ? null : files.Select(f => RestMapping.ToMessage(f, f.Path)).ToList(),
            };
            await RequestJson.WriteAsync(context, response, Json.ListArtifactsResponse).ConfigureAwait(false);
        });
    }
}
