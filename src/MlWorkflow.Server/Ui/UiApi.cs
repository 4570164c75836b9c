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

        var histories = new List<MetricPoints>(runIds.Count);
        var names = new List<string>(runIds.Count);
        foreach (var id in runIds)
        {
            // The points are read while the run is (a store may read its latest metrics, another pass over the same file).
            var points = MetricSampling.ReadAsync(request.Server.Store, id, key, request.Aborted);
            var run = request.Server.Store.GetRunAsync(id, request.Aborted);
            await Task.WhenAll(points, run).ConfigureAwait(false);
            var info = (await run.ConfigureAwait(false)).Info;
            names.Add(string.IsNullOrEmpty(info.RunName) ? id : info.RunName);
            histories.Add(await points.ConfigureAwait(false));
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
            var history = histories[r];
            foreach (var index in MetricSampling.Select(history, steps))
            {
                var value = history.Values[index];
                if (!double.IsFinite(value))
                {
                    continue;
                }

                writer.WriteStartArray();
                writer.WriteNumberValue(history.Steps[index]);
                writer.WriteNumberValue(history.Timestamps[index]);
                writer.WriteNumberValue(value);
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
