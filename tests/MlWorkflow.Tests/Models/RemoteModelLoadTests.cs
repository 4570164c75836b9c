using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Models;
using MlWorkflow.Server;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Tracking;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Models;

/// <summary>A model stored on a tracking server is downloaded to load it; the copy does not outlive the load (issue 11 point 6).</summary>
public sealed class RemoteModelLoadTests
{
    [Test]
    public async Task A_model_loaded_from_a_server_leaves_no_downloaded_copy()
    {
        using var temp = new TemporaryDirectory();
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = Path.Combine(temp.Path, "server-mlruns"), Port = 0 });
        var client = MlflowClient.Create(server.Uri.ToString().TrimEnd('/'));
        var ml = new MLContext(5);
        using var result = await MlWorkflow.Workflow.Create(5)
            .Load(TestDatasets.Iris(ml))
            .Label("Species")
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .Track(client, "remote-load")
            .RunAsync();

        var model = await client.LoadMlnetModelAsync(result.Tracking!.ModelUri!);

        Assert.Multiple(() =>
        {
            Assert.That(model.Folder, Does.Not.StartWith(Path.Combine(temp.Path, "server-mlruns")), "the model was downloaded, not read in place");
            Assert.That(Directory.Exists(model.Folder), Is.False, "the downloaded copy is deleted once loaded");
            Assert.That(model.Predict(result.Data).GetColumn<string>("PredictedLabel").ToArray(),
                Is.EqualTo(result.Model.Transform(result.Data).GetColumn<string>("PredictedLabel").ToArray()), "the loaded model predicts as the trained one");
        });
    }
}
