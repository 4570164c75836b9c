using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Tests.Registry;

/// <summary>Reads, completely, the registry MLflow 2.17.2 wrote (TestData/mlflow-file-store), copied to a temp folder, and writes to it.</summary>
public class MlflowWrittenRegistryTests : RegistryTestFixture
{
    private const string Name = "SalesForecastModelA";
    private const string RunId = "7e0f161753684736bcf9df1d92fb4686";

    [SetUp]
    public void CopyStore() => CopyMlflowStore();

    [Test]
    public async Task The_registered_model_reads_with_description_tag_aliases_and_latest_versions()
    {
        var model = await OpenRegistry().GetRegisteredModelAsync(Name);
        Assert.That(model.Name, Is.EqualTo(Name));
        Assert.That(model.Description, Is.EqualTo("Monthly sales forecast"));
        Assert.That(model.CreationTimestamp, Is.EqualTo(1795770440240));
        Assert.That(model.LastUpdatedTimestamp, Is.EqualTo(1795770440256));
        Assert.That(model.Tags, Is.EqualTo(new[] { new RegisteredModelTag("owner", "forecasting") }));
        Assert.That(model.Aliases, Is.EqualTo(new[] { new RegisteredModelAlias("champion", 1) }));
        Assert.That(model.LatestVersions.Select(v => (v.CurrentStage, v.Version)), Is.EqualTo(new[] { (ModelVersionStage.Staging, 2), (ModelVersionStage.Production, 1) }));
    }

    [Test]
    public async Task Both_versions_read_with_every_field()
    {
        var registry = OpenRegistry();
        var source = $"file:///srv/mlflow-demo-a/mlruns/379124300427703249/{RunId}/artifacts/model";
        var v1 = await registry.GetModelVersionAsync(Name, 1);
        Assert.That(v1, Is.EqualTo(new ModelVersion(Name, 1, 1795770440241, 1795770440246, ModelVersionStage.Production, null, source, RunId, ModelVersionStatus.Ready, null, v1.Tags, null, v1.Aliases)));
        Assert.That(v1.Tags, Is.Empty);
        Assert.That(v1.Aliases, Is.EqualTo(new[] { "champion" }));

        var v2 = await registry.GetModelVersionAsync(Name, 2);
        Assert.That(v2.CurrentStage, Is.EqualTo(ModelVersionStage.Staging));
        Assert.That(v2.CreationTimestamp, Is.EqualTo(1795770440244));
        Assert.That(v2.LastUpdatedTimestamp, Is.EqualTo(1795770440247));
        Assert.That(v2.Tags, Is.EqualTo(new[] { new ModelVersionTag("validated", "false") }));
        Assert.That(v2.Aliases, Is.Empty);
        Assert.That(await registry.GetModelVersionDownloadUriAsync(Name, 2), Is.EqualTo(source));
        Assert.That((await registry.GetModelVersionByAliasAsync(Name, "champion")).Version, Is.EqualTo(1));
    }

    [Test]
    public async Task Searches_find_the_model_and_its_versions()
    {
        var registry = OpenRegistry();
        var models = await registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { Filter = "tags.owner = 'forecasting'" });
        Assert.That(models.Items.Select(m => m.Name), Is.EqualTo(new[] { Name }));
        var versions = await registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = $"run_id = '{RunId}'" });
        Assert.That(versions.Items.Select(v => v.Version), Is.EqualTo(new[] { 2, 1 }), "last updated first");
    }

    [Test]
    public async Task Models_uris_resolve_to_the_model_folder_of_the_moved_store()
    {
        var client = OpenClient();
        foreach (var uri in new[] { $"models:/{Name}/Production", $"models:/{Name}@champion", $"models:/{Name}/1" })
        {
            var resolved = await client.ResolveAsync(uri);
            Assert.That(resolved.Version!.Version, Is.EqualTo(1), uri);
            Assert.That(resolved.LocalPath, Is.EqualTo(Path.Combine(Root, "379124300427703249", RunId, "artifacts", "model")), uri);
            Assert.That(System.IO.File.Exists(Path.Combine(resolved.LocalPath!, "MLmodel")), Is.True, uri);
        }

        Assert.That((await client.ResolveAsync($"models:/{Name}/latest")).Version!.Version, Is.EqualTo(2));
        Assert.That((await client.ResolveAsync($"models:/{Name}/staging")).Version!.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task A_version_added_to_mlflows_registry_continues_its_numbering_and_rolls_back()
    {
        var registry = OpenRegistry();
        var client = new ModelRegistryClient(registry);
        Clock.Now = 1795770450000;
        var v3 = await registry.CreateModelVersionAsync(new CreateModelVersionRequest(Name, "file:///x") { RunId = RunId });
        Assert.That(v3.Version, Is.EqualTo(3));
        await client.TransitionStageAsync(Name, 3, ModelVersionStage.Production, archiveExistingVersions: true);
        await client.SetAliasAsync(Name, "champion", 3);
        Assert.That((await registry.GetModelVersionAsync(Name, 1)).CurrentStage, Is.EqualTo(ModelVersionStage.Archived));

        Clock.Now = 1795770460000;
        var rollback = await client.RollbackAsync(Name, 1, alias: "champion");

        Assert.That(rollback.Production.Version, Is.EqualTo(1));
        Assert.That(rollback.Archived.Select(v => (v.Version, v.CurrentStage)), Is.EqualTo(new[] { (3, ModelVersionStage.Archived) }));
        Assert.That(ReadFile("models/SalesForecastModelA/version-1/meta.yaml"), Does.Contain("current_stage: Production\n").And.Contain("last_updated_timestamp: 1795770460000\n"));
        Assert.That(ReadFile("models/SalesForecastModelA/aliases/champion"), Is.EqualTo("1"));
        Assert.That((await registry.GetModelVersionAsync(Name, 2)).CurrentStage, Is.EqualTo(ModelVersionStage.Staging), "other stages are left alone");
    }
}
