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

    [Test]
    public async Task A_default_root_in_the_proxy_puts_new_experiments_under_the_artifacts_destination()
    {
        var destination = _directory.Combine("mlartifacts");
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions
        {
            BackendStoreUri = _directory.Combine("mlruns"),
            ArtifactsDestination = destination,
            DefaultArtifactRoot = "mlflow-artifacts:/team-a",
            Port = 0,
        });
        await using var client = MlflowClient.Create(server.Uri.ToString());

        var experiment = await client.GetOrCreateExperimentAsync("team-a");
        string runId;
        await using (var run = await client.StartRunAsync(experiment))
        {
            runId = run.RunId;
            await run.LogTextAsync("notes.txt", "under the destination");
            await run.EndAsync();
        }

        Assert.That(experiment.ArtifactLocation, Is.EqualTo($"mlflow-artifacts:/team-a/{experiment.ExperimentId}"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(destination, "team-a", experiment.ExperimentId, runId, "artifacts", "notes.txt")), Is.EqualTo("under the destination"));
    }

    [TestCase(true, "s3://bucket/artifacts", null, "ArtifactsDestination 's3://bucket/artifacts': s3: artifact URIs need the MlWorkflow.Tracking.S3 package: add it to the application (dotnet add package MlWorkflow.Tracking.S3).")]
    [TestCase(true, "gs://bucket/artifacts", null, "ArtifactsDestination 'gs://bucket/artifacts': No artifact repository serves 'gs:' URIs")]
    [TestCase(false, "dest", null, "ArtifactsDestination needs ServeArtifacts")]
    [TestCase(true, null, "mlflow-artifacts:/../outside", "the path after mlflow-artifacts:/ must stay inside the artifacts destination")]
    [TestCase(false, null, "mlflow-artifacts:/", "names the artifact proxy, which this server does not serve")]
    public async Task Artifact_locations_the_server_cannot_honour_are_refused_at_start(bool serve, string? destination, string? root, string expected)
    {
        var options = new TrackingServerOptions
        {
            BackendStoreUri = _directory.Combine("mlruns"),
            ServeArtifacts = serve,
            ArtifactsDestination = destination is null || destination.Contains(':', StringComparison.Ordinal) ? destination : _directory.Combine(destination),
            DefaultArtifactRoot = root,
            Port = 0,
        };

        var thrown = await Assert.ThrowsAsync<ArgumentException>(async () => await (await TrackingServer.StartAsync(options)).DisposeAsync());
        Assert.That(thrown.Message, Does.Contain(expected));
    }
}
