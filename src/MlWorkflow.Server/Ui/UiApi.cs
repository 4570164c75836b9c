using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MlWorkflow.Server.Endpoints;

namespace MlWorkflow.Server.Ui;

/// <summary>The JSON and file reads of the UI's script: sampled metric history for charts, and artifact previews and downloads.</summary>
internal static class UiApi
{
    /// <summary>Sampled points per run: enough for a chart a few thousand pixels wide.</summary>
    private const int ChartSteps = 1000;

    /// <summary>Answers <c>{"runs":[{"id","name","points":[[step,timestamp,value],…]}]}</c>, downloaded as MLflow's chart endpoint does.</summary>
    public static async Task ChartAsync(UiRequest request)
    {
        var runIds = (request.Query("runs") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(ComparePage.MaxRuns).ToList();
        var key = request.Query("key");
        if (runIds.Count == 0 || string.IsNullOrEmpty(key))
        {
            throw MlflowException.InvalidParameter("A chart needs 'runs' (comma-separated run ids) and 'key' (a metric key).");
        }

        var histories = new List<IReadOnlyList<Metric>>(runIds.Count);
        var names = new List<string>(runIds.Count);
        foreach (var id in runIds)
        {
            var run = await request.Server.Store.GetRunAsync(id, request.Aborted).ConfigureAwait(false);
            names.Add(string.IsNullOrEmpty(run.Info.RunName) ? id : run.Info.RunName);
            histories.Add(await TrackingEndpoints.ReadWholeHistoryAsync(request.Server.Store, id, key, request.Aborted).ConfigureAwait(false));
        }

        // The whole range, negative steps included: a chart shows what was logged.
        var steps = MetricSampling.SampleSteps(histories, null, null, ChartSteps, wholeRange: true);
        var context = request.Context;
        UiLayout.SecurityHeaders(context);
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("key", key);
        writer.WriteStartArray("runs");
        for (var r = 0; r < runIds.Count; r++)
        {
            writer.WriteStartObject();
            writer.WriteString("id", runIds[r]);
            writer.WriteString("name", names[r]);
            writer.WriteStartArray("points");
            foreach (var point in MetricSampling.Select(histories[r], steps))
            {
                if (!double.IsFinite(point.Value))
                {
                    continue;
                }

                writer.WriteStartArray();
                writer.WriteNumberValue(point.Step);
                writer.WriteNumberValue(point.Timestamp);
                writer.WriteNumberValue(point.Value);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(request.Aborted).ConfigureAwait(false);
    }

    /// <summary>An artifact of a run, for a preview (inline) or a download (attachment), with the same path checks as <c>/get-artifact</c>.</summary>
    public static async Task ArtifactAsync(UiRequest request)
    {
        var path = ArtifactDownloadEndpoints.CheckPath(request.Query("path"));
        var run = await request.Server.Store.GetRunAsync(RequestJson.Required(request.Query("run"), "run"), request.Aborted).ConfigureAwait(false);
        await ArtifactDownloadEndpoints.SendAsync(request.Context, request.Server, run.Info.ArtifactUri, path, attachment: request.Query("download") == "1").ConfigureAwait(false);
    }
}
