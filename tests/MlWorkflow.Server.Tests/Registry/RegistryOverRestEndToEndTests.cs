using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Registry;

/// <summary>
/// The whole lifecycle against a server, through <c>MlflowClient.Create("http://…")</c> only: log a run with a model folder,
/// register it, promote it, alias it, resolve <c>models:/Name@alias</c> to the run's artifacts; then the file store behind
/// the server holds all of it in MLflow's layout.
/// </summary>
[TestFixture]
public sealed class RegistryOverRestEndToEndTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task A_run_logged_registered_promoted_and_aliased_over_rest_resolves_to_its_artifacts_and_lands_in_mlflow_s_layout()
    {
        var root = _directory.Combine("mlruns");
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = root, Port = 0 });
        var modelFolder = _directory.Combine("model-out");
        Directory.CreateDirectory(modelFolder);
        await File.WriteAllTextAsync(Path.Combine(modelFolder, "MLmodel"), "flavors:\n  mlnet: {}\n");
        await File.WriteAllBytesAsync(Path.Combine(modelFolder, "model.zip"), [1, 2, 3, 4]);

        var client = MlflowClient.Create(server.Uri.ToString().TrimEnd('/'));
        var experiment = await client.GetOrCreateExperimentAsync("sales");
        string runId;
        await using (var run = await client.StartRunAsync(experiment, runName: "fast-tree"))
        {
            runId = run.RunId;
            run.LogParam("learning_rate", 0.1);
            for (var step = 0; step < 50; step++)
            {
                run.LogMetric("rmse", 10.0 / (step + 1), step);
            }

            await run.LogArtifactAsync(modelFolder, "model");
            await run.EndAsync();
        }

        var registered = await client.Registry.RegisterModelAsync($"runs:/{runId}/model", "SalesForecast", description: "first cut");
        var again = await client.Registry.RegisterModelAsync($"runs:/{runId}/model", "SalesForecast");
        await client.Registry.TransitionStageAsync("SalesForecast", registered.Version, ModelVersionStage.Production, archiveExistingVersions: true);
        await client.Registry.SetAliasAsync("SalesForecast", "champion", registered.Version);

        var resolved = await client.Registry.ResolveAsync("models:/SalesForecast@champion");
        var production = await client.Registry.GetModelVersionAsync("models:/SalesForecast/Production");
        var downloaded = await client.Options.ArtifactRepositories.Create(resolved.ArtifactUri).DownloadAsync(null, _directory.Combine("download"));

        // What the client sees.
        Assert.That(client.Registry.Store, Is.TypeOf<RestModelRegistryStore>());
        Assert.That((registered.Version, again.Version), Is.EqualTo((1, 2)));
        Assert.That(registered.RunId, Is.EqualTo(runId));
        Assert.That(registered.Source, Is.EqualTo($"mlflow-artifacts:/{experiment.ExperimentId}/{runId}/artifacts/model"));
        Assert.That(resolved.Version!.Version, Is.EqualTo(1));
        Assert.That(resolved.RunId, Is.EqualTo(runId));
        Assert.That(resolved.ArtifactUri, Is.EqualTo(registered.Source));
        Assert.That(production.Aliases, Is.EqualTo(new[] { "champion" }));
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(downloaded, "model.zip")), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(File.Exists(Path.Combine(downloaded, "MLmodel")), Is.True);

        // What the server's file store holds: MLflow's tracking and registry layouts.
        var runFolder = Path.Combine(root, experiment.ExperimentId, runId);
        Assert.That(File.ReadAllLines(Path.Combine(runFolder, "metrics", "rmse")), Has.Length.EqualTo(50));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(runFolder, "params", "learning_rate")), Is.EqualTo("0.1"));
        Assert.That(File.Exists(Path.Combine(runFolder, "artifacts", "model", "model.zip")), Is.True);
        var modelFolderOnServer = Path.Combine(root, "models", "SalesForecast");
        var modelMeta = await File.ReadAllTextAsync(Path.Combine(modelFolderOnServer, "meta.yaml"));
        var versionMeta = await File.ReadAllTextAsync(Path.Combine(modelFolderOnServer, "version-1", "meta.yaml"));
        Assert.That(modelMeta, Does.Contain("name: SalesForecast"));
        Assert.That(versionMeta, Does.Contain("current_stage: Production"));
        Assert.That(versionMeta, Does.Contain("run_id: " + runId));
        Assert.That(versionMeta, Does.Contain("description: first cut"));
        Assert.That(versionMeta, Does.Contain($"source: mlflow-artifacts:/{experiment.ExperimentId}/{runId}/artifacts/model"));
        Assert.That(versionMeta, Does.Contain("version: 1"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(modelFolderOnServer, "aliases", "champion")), Is.EqualTo("1"));
        Assert.That(File.Exists(Path.Combine(modelFolderOnServer, "version-2", "meta.yaml")), Is.True);
    }
}
