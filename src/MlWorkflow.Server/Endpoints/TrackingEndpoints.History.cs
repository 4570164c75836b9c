using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MlWorkflow.Server.Hosting;

namespace MlWorkflow.Server.Endpoints;

/// <summary>The sampled metric history of several runs, for charts (<c>metrics/get-history-bulk-interval</c>).</summary>
internal static partial class TrackingEndpoints
{
    /// <summary>The most runs one request may name, as MLflow.</summary>
    private const int MaxBulkRuns = 100;

    private const string SeeDocs = " See the API docs for more information about request parameters.";

    private static void MapHistory(EndpointRoutes app, ServerContext server, string prefix)
    {
        app.MapGet(prefix + "/metrics/get-history-bulk-interval", async context =>
        {
            var (runIds, key, start, end, maxResults) = ParseBulkInterval(context);
            var histories = new List<IReadOnlyList<Metric>>(runIds.Count);
            foreach (var runId in runIds)
            {
                histories.Add(await ReadWholeHistoryAsync(server.Store, runId, key, context.RequestAborted).ConfigureAwait(false));
            }

            var steps = MetricSampling.SampleSteps(histories, start, end, maxResults);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.Body);
            writer.WriteStartObject();
            var any = false;
            for (var r = 0; r < runIds.Count; r++)
            {
                foreach (var point in MetricSampling.Select(histories[r], steps))
                {
                    if (!any)
                    {
                        writer.WriteStartArray("metrics"u8);
                        any = true;
                    }

                    WritePoint(writer, point, runIds[r]);
                }

                if (writer.BytesPending > 32 * 1024)
                {
                    await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                }
            }

            if (any)
            {
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        });
    }

    /// <summary>The parameters of <c>get-history-bulk-interval</c>, checked in MLflow's order with its messages.</summary>
    private static (List<string> RunIds, string Key, long? Start, long? End, int MaxResults) ParseBulkInterval(HttpContext context)
    {
        var runIds = RequestJson.QueryAll(context, "run_ids")?.Where(id => id.Length > 0).ToList();
        if (runIds is null || runIds.Count == 0)
        {
            throw MlflowException.InvalidParameter("Missing value for required parameter 'run_ids'." + SeeDocs);
        }

        if (runIds.Count > MaxBulkRuns)
        {
            throw MlflowException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"GetMetricHistoryBulkInterval request must specify at most {MaxBulkRuns} run_ids. Received {runIds.Count} run_ids.{SeeDocs}"));
        }

        foreach (var id in runIds)
        {
            RunId(id);
        }

        var key = RequestJson.Required(RequestJson.Query(context, "metric_key"), "metric_key");
        var start = RequestJson.QueryInt64(context, "start_step");
        var end = RequestJson.QueryInt64(context, "end_step");
        var max = RequestJson.QueryInt64(context, "max_results") ?? MetricSampling.MaxResults;
        if (max is < 1 or > MetricSampling.MaxResults)
        {
            throw MlflowException.InvalidParameter($"max_results must be between 1 and {MetricSampling.MaxResults}.{SeeDocs}");
        }

        if (start.HasValue != end.HasValue)
        {
            throw MlflowException.InvalidParameter("If either start step or end step are specified, both must be specified.");
        }

        if (start > end)
        {
            throw MlflowException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"end_step must be greater than start_step. Found start_step={start} and end_step={end}."));
        }

        return (runIds, key, start, end, (int)max);
    }

    /// <summary>Every point of one metric of a run, following the store's pages.</summary>
    internal static async Task<IReadOnlyList<Metric>> ReadWholeHistoryAsync(ITrackingStore store, string runId, string key, CancellationToken cancellationToken)
    {
        var page = await store.GetMetricHistoryAsync(runId, key, null, null, cancellationToken).ConfigureAwait(false);
        if (page.NextPageToken is null)
        {
            return page.Items;
        }

        var all = new List<Metric>(page.Items);
        while (page.NextPageToken is { } token)
        {
            page = await store.GetMetricHistoryAsync(runId, key, null, token, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
        }

        return all;
    }

    private static void WritePoint(Utf8JsonWriter writer, Metric point, string runId)
    {
        writer.WriteStartObject();
        writer.WriteString("key"u8, point.Key);
        if (double.IsFinite(point.Value))
        {
            writer.WriteNumber("value"u8, point.Value);
        }
        else
        {
            writer.WriteString("value"u8, double.IsNaN(point.Value) ? "NaN"u8 : point.Value > 0 ? "Infinity"u8 : "-Infinity"u8);
        }

        writer.WriteNumber("timestamp"u8, point.Timestamp);
        writer.WriteNumber("step"u8, point.Step);
        writer.WriteString("run_id"u8, runId);
        writer.WriteEndObject();
    }
}
