using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Ui.Tests;

/// <summary>A real file store with what the UI shows: an experiment of runs with params, metric histories, a plot image, a CSV and a logged model; a hostile run name; a registered model.</summary>
internal static class UiStore
{
    public const string Experiment = "sales-forecast";

    public const string HostileName = "<script>alert(1)</script>";

    public const string ModelName = "sales-model";

    // A 16×12 PNG (opaque blue), as an evaluation plot stands in for a real chart image.
    private const string PngBase64 = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAMCAIAAADkharWAAAAFUlEQVR4nGOQSzlBEmIY1TCqATsCANBh94GeiSxGAAAAAElFTkSuQmCC";

    public static async Task<(FileTrackingStore Store, FileModelRegistryStore Registry, string[] RunIds)> CreateAsync(string root)
    {
        var store = new FileTrackingStore(root);
        var registry = new FileModelRegistryStore(root);
        var experimentId = await store.CreateExperimentAsync(Experiment);
        var runIds = new List<string>();
        var start = 1_760_000_000_000L;
        for (var i = 0; i < 8; i++)
        {
            var model = i % 2 == 0 ? "forest" : "linear";
            var name = i == 7 ? HostileName : $"{model}-{i}";
            var run = await store.CreateRunAsync(new CreateRunRequest
            {
                ExperimentId = experimentId,
                RunName = name,
                UserId = "analyst",
                StartTime = start + (i * 60_000),
                Tags = [new RunTag("mlflow.source.name", "train.py"), new RunTag("mlflow.note.content", "<b>not bold</b> trained on the silver table")],
            });
            var rmse = 0.9 - (i * 0.07);
            var history = Enumerable.Range(0, 50).Select(step => new Metric("rmse", rmse + (0.5 / (step + 1)), start + (i * 60_000) + (step * 1000), step)).ToArray();
            await store.LogBatchAsync(
                run.Info.RunId,
                [.. history, new Metric("r2", 0.5 + (i * 0.05), start, 0)],
                [new Param("model", model), new Param("lr", (0.01 * (i + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture))],
                [new RunTag("team", "pricing")]);
            var artifacts = new Uri(run.Info.ArtifactUri).LocalPath;
            Directory.CreateDirectory(Path.Combine(artifacts, "plots"));
            Directory.CreateDirectory(Path.Combine(artifacts, "model"));
            await File.WriteAllBytesAsync(Path.Combine(artifacts, "plots", "residuals.png"), Convert.FromBase64String(PngBase64));
            await File.WriteAllTextAsync(Path.Combine(artifacts, "predictions.csv"), "city,sales,predicted\nAustin,120,118.5\n\"Dallas, TX\",98,101.2\n");
            await File.WriteAllTextAsync(Path.Combine(artifacts, "model", "MLmodel"), "artifact_path: model\nflavors:\n  mlnet:\n    model_file: model.zip\nsignature:\n  inputs: '[{\"name\": \"city\", \"type\": \"string\"}]'\n  outputs: '[{\"type\": \"float\"}]'\n");
            await File.WriteAllTextAsync(Path.Combine(artifacts, "model", "input_example.json"), "{\"columns\": [\"city\"], \"data\": [[\"Austin\"]]}");
            await store.UpdateRunInfoAsync(run.Info.RunId, RunStatus.Finished, start + (i * 60_000) + 50_000);
            runIds.Add(run.Info.RunId);
        }

        await registry.CreateRegisteredModelAsync(ModelName);
        foreach (var runId in runIds.Take(2))
        {
            var run = await store.GetRunAsync(runId);
            await registry.CreateModelVersionAsync(new CreateModelVersionRequest(ModelName, run.Info.ArtifactUri + "/model") { RunId = runId });
        }

        return (store, registry, [.. runIds]);
    }
}
