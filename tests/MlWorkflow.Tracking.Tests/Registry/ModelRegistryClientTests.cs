using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Tests.Registry;

/// <summary>The registry client on real stores: register from runs:/, promote, alias, roll back, resolve every URI form.</summary>
public class ModelRegistryClientTests : RegistryTestFixture
{
    private async Task<(ModelRegistryClient Client, string RunId, string ModelFolder)> RunWithModelAsync()
    {
        var tracking = OpenStore(Clock);
        var run = await tracking.CreateRunAsync(new CreateRunRequest { RunName = "train" });
        var folder = Path.Combine(Root, "0", run.Info.RunId, "artifacts", "model");
        Directory.CreateDirectory(folder);
        await System.IO.File.WriteAllTextAsync(Path.Combine(folder, "MLmodel"), "flavors: {}\n");
        return (new ModelRegistryClient(OpenRegistry(), tracking), run.Info.RunId, folder);
    }

    [Test]
    public async Task Register_from_a_runs_uri_creates_the_model_and_records_the_concrete_source_and_run()
    {
        var (client, runId, folder) = await RunWithModelAsync();
        var first = await client.RegisterModelAsync($"runs:/{runId}/model", "SalesForecastModel");
        var second = await client.RegisterModelAsync($"runs:/{runId}/model", "SalesForecastModel", [new ModelVersionTag("k", "v")], "again");

        Assert.That((first.Version, second.Version), Is.EqualTo((1, 2)));
        Assert.That(first.RunId, Is.EqualTo(runId));
        var run = await client.TrackingStore!.GetRunAsync(runId);
        Assert.That(first.Source, Is.EqualTo(run.Info.ArtifactUri + "/model"));
        Assert.That(second.GetTag("k"), Is.EqualTo("v"));
        Assert.That(second.Description, Is.EqualTo("again"));

        var resolved = await client.ResolveAsync("models:/SalesForecastModel/1");
        Assert.That(resolved.LocalPath, Is.EqualTo(folder));
        Assert.That(resolved.RunId, Is.EqualTo(runId));
    }

    [Test]
    public async Task Register_needs_a_tracking_store_for_runs_uris_and_a_valid_name()
    {
        var client = new ModelRegistryClient(OpenRegistry());
        var error = (await Assert.ThrowsAsync<MlflowException>(() => client.RegisterModelAsync("runs:/abc/model", "m")))!;
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("no tracking store"));
        Assert.That(await CodeOf(() => client.RegisterModelAsync("file:///x", "../m")), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => OpenClient().RegisterModelAsync("runs:/0123456789abcdef0123456789abcdef/model", "m")), Is.EqualTo(ErrorCode.ResourceDoesNotExist), "unknown run");
        Assert.That((await client.RegisterModelAsync("file:///plain/model", "m")).RunId, Is.Null);
    }

    [Test]
    public async Task Promotion_alias_and_resolution_of_every_uri_form()
    {
        var (client, runId, folder) = await RunWithModelAsync();
        await client.RegisterModelAsync($"runs:/{runId}/model", "m");
        var v2 = await client.RegisterModelAsync("file:///elsewhere/model", "m");
        await client.TransitionStageAsync("m", 1, ModelVersionStage.Production, archiveExistingVersions: true);
        await client.SetAliasAsync("m", "champion", 1);

        Assert.That((await client.ResolveAsync("models:/m/Production")).LocalPath, Is.EqualTo(folder));
        Assert.That((await client.ResolveAsync("models:/m@champion")).Version!.Version, Is.EqualTo(1));
        Assert.That((await client.ResolveAsync("models:/m/latest")).ArtifactUri, Is.EqualTo("file:///elsewhere/model"));
        Assert.That((await client.ResolveAsync("models:/m/2")).Version, Is.EqualTo(v2).Using<ModelVersion>((a, b) => a.Version == b.Version && a.Name == b.Name));
        Assert.That((await client.ResolveAsync($"runs:/{runId}/model")).LocalPath, Is.EqualTo(folder));
        Assert.That((await client.ResolveAsync(folder)).LocalPath, Is.EqualTo(folder));
        var remote = await client.ResolveAsync("s3://bucket/model");
        Assert.That((remote.ArtifactUri, remote.LocalPath), Is.EqualTo(("s3://bucket/model", (string?)null)));
        Assert.That((await client.GetModelVersionAsync("models:/m@champion")).Version, Is.EqualTo(1));
    }

    [Test]
    public async Task Resolving_unknown_models_versions_aliases_and_stages_fails_with_mlflow_codes()
    {
        var (client, runId, _) = await RunWithModelAsync();
        await client.RegisterModelAsync($"runs:/{runId}/model", "m");
        Assert.That(await CodeOf(() => client.ResolveAsync("models:/nope/1")), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(await CodeOf(() => client.ResolveAsync("models:/m/9")), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(await CodeOf(() => client.ResolveAsync("models:/m@nope")), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => client.ResolveAsync("models:/m/Staging")), Is.EqualTo(ErrorCode.ResourceDoesNotExist), "no version in Staging");
        Assert.That(await CodeOf(() => client.ResolveAsync("models:/m/Stagin")), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => client.GetModelVersionAsync("s3://x")), Is.EqualTo(ErrorCode.InvalidParameterValue));

        var error = (await Assert.ThrowsAsync<MlflowException>(() => client.ResolveAsync("models:/m/Production")))!;
        Assert.That(error.Message, Does.Contain("stage 'Production'"));
    }

    [Test]
    public async Task Rollback_promotes_an_earlier_version_archives_the_current_one_and_keeps_the_history()
    {
        var (client, runId, _) = await RunWithModelAsync();
        for (var i = 0; i < 3; i++)
        {
            Clock.Now += 1000;
            await client.RegisterModelAsync($"runs:/{runId}/model", "m");
        }

        Clock.Now += 1000;
        await client.TransitionStageAsync("m", 2, ModelVersionStage.Production, archiveExistingVersions: true);
        var promotedAt = Clock.Now;
        Clock.Now += 1000;
        await client.TransitionStageAsync("m", 3, ModelVersionStage.Production, archiveExistingVersions: true);
        await client.SetAliasAsync("m", "champion", 3);
        var v3PromotedAt = Clock.Now;
        Clock.Now += 1000;

        var rollback = await client.RollbackAsync("m", 2, alias: "champion");

        Assert.That(rollback.Production.Version, Is.EqualTo(2));
        Assert.That(rollback.Production.CurrentStage, Is.EqualTo(ModelVersionStage.Production));
        Assert.That(rollback.Production.LastUpdatedTimestamp, Is.EqualTo(Clock.Now), "the rollback is recorded in the promoted version's time");
        Assert.That(rollback.Production.Aliases, Is.EqualTo(new[] { "champion" }));
        Assert.That(rollback.Archived.Single().Version, Is.EqualTo(3));
        Assert.That(rollback.Archived.Single().CurrentStage, Is.EqualTo(ModelVersionStage.Archived));
        Assert.That(rollback.Archived.Single().CreationTimestamp, Is.LessThan(v3PromotedAt));
        Assert.That(promotedAt, Is.LessThan(rollback.Production.LastUpdatedTimestamp));

        var versions = (await client.Store.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = "name = 'm'", OrderBy = ["version_number ASC"] })).Items;
        Assert.That(versions.Select(v => (v.Version, v.CurrentStage)), Is.EqualTo(new[]
        {
            (1, ModelVersionStage.None), (2, ModelVersionStage.Production), (3, ModelVersionStage.Archived),
        }), "every version is still there, with its stage");
        Assert.That((await client.ResolveAsync("models:/m/Production")).Version!.Version, Is.EqualTo(2));
        Assert.That((await client.ResolveAsync("models:/m@champion")).Version!.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Rollback_without_production_or_forward_or_to_an_unknown_version_is_refused()
    {
        var (client, runId, _) = await RunWithModelAsync();
        await client.RegisterModelAsync($"runs:/{runId}/model", "m");
        await client.RegisterModelAsync($"runs:/{runId}/model", "m");
        Assert.That(await CodeOf(() => client.RollbackAsync("m", 1)), Is.EqualTo(ErrorCode.InvalidParameterValue), "nothing in Production");
        await client.TransitionStageAsync("m", 1, ModelVersionStage.Production);
        var error = (await Assert.ThrowsAsync<MlflowException>(() => client.RollbackAsync("m", 2)))!;
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("not earlier than version 1"));
        Assert.That(await CodeOf(() => client.RollbackAsync("m", 7)), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(await CodeOf(() => client.RollbackAsync("nope", 1)), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(await CodeOf(() => client.RollbackAsync("m", 0)), Is.EqualTo(ErrorCode.InvalidParameterValue));
    }
}
