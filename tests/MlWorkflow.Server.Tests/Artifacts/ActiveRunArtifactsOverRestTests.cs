using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Artifacts;

/// <summary><see cref="ActiveRun"/> artifacts over REST: chosen from the run's <c>mlflow-artifacts:</c> URI, stored by the server in the run folder.</summary>
[TestFixture]
public sealed class ActiveRunArtifactsOverRestTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task Text_and_files_logged_through_an_active_run_land_in_the_run_s_artifact_folder()
    {
        var fileStore = new FileTrackingStore(_directory.Combine("mlruns"));
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = fileStore, Port = 0 });
        using var store = new RestTrackingStore(server.Uri, FastRetries.Options());
        var client = new MlflowClient(store, new MlflowClientOptions { ArtifactRepositories = store.RegisterArtifactRepositories(new ArtifactRepositoryFactory()) });
        var local = _directory.Combine("residuals.csv");
        await File.WriteAllTextAsync(local, "x,y\n1,2\n");

        var experiment = await client.GetOrCreateExperimentAsync("artifacts-over-rest");
        string runId;
        await using (var run = await client.StartRunAsync(experiment))
        {
            runId = run.RunId;
            await run.LogTextAsync("notes/readme.txt", "trained on the silver table");
            await run.LogArtifactAsync(local, "plots");
            await run.EndAsync();
        }

        var folder = Path.Combine(fileStore.RootDirectory, experiment.ExperimentId, runId, "artifacts");
        Assert.That(experiment.ArtifactLocation, Is.EqualTo("mlflow-artifacts:/" + experiment.ExperimentId));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(folder, "notes", "readme.txt")), Is.EqualTo("trained on the silver table"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(folder, "plots", "residuals.csv")), Is.EqualTo("x,y\n1,2\n"));
    }
}
