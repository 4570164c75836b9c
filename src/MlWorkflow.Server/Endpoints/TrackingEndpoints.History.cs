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
            var histories = new List<MetricPoints>(runIds.Count);
            foreach (var runId in runIds)
            {
                histories.Add(await MetricSampling.ReadAsync(server.Store, runId, key, context.RequestAborted).ConfigureAwait(false));
            }

            var steps = MetricSampling.SampleSteps(histories, start, end, maxResults);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.Body);
            writer.WriteStartObject();
            var any = false;
            for (var r = 0; r < runIds.Count; r++)
            {
                var history = histories[r];
                foreach (var index in MetricSampling.Select(history, steps))
                {
                    if (!any)
                    {
                        writer.WriteStartArray("metrics"u8);
                        any = true;
                    }

                    WritePoint(writer, key, history.Values[index], history.Timestamps[index], history.Steps[index], runIds[r]);
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

    private static void WritePoint(Utf8JsonWriter writer, string key, double value, long timestamp, long step, string runId)
    {
        writer.WriteStartObject();
        writer.WriteString("key"u8, key);
        if (double.IsFinite(value))
        {
            writer.WriteNumber("value"u8, value);
        }
        else
        {
            writer.WriteString("value"u8, double.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8);
        }

        writer.WriteNumber("timestamp"u8, timestamp);
        writer.WriteNumber("step"u8, step);
        writer.WriteString("run_id"u8, runId);
        writer.WriteEndObject();
    }
}
