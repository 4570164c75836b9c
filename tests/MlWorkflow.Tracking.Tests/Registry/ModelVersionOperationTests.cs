using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Tests.Registry;

/// <summary>Model versions on a real file registry: create, get, update, delete, tags, stages, latest versions, download URI.</summary>
public class ModelVersionOperationTests : RegistryTestFixture
{
    [Test]
    public async Task Create_assigns_consecutive_numbers_in_stage_none_and_ready()
    {
        var registry = OpenRegistry();
        await registry.CreateRegisteredModelAsync("m1");
        Clock.Now += 7;
        var first = await registry.CreateModelVersionAsync(new CreateModelVersionRequest("m1", "file:///a/model")
        {
            RunId = "0123456789abcdef0123456789abcdef",
            RunLink = "http://x/run",
            Description = "first",
            Tags = [new ModelVersionTag("validated", "yes")],
        });
        var second = await registry.CreateModelVersionAsync(new CreateModelVersionRequest("m1", "s3://bucket/model"));

        Assert.That(first.Version, Is.EqualTo(1));
        Assert.That(second.Version, Is.EqualTo(2));
        Assert.That(first.CurrentStage, Is.EqualTo(ModelVersionStage.None));
        Assert.That(first.Status, Is.EqualTo(ModelVersionStatus.Ready));
        Assert.That(first.Source, Is.EqualTo("file:///a/model"));
        Assert.That(first.RunId, Is.EqualTo("0123456789abcdef0123456789abcdef"));
        Assert.That(first.RunLink, Is.EqualTo("http://x/run"));
        Assert.That(first.Description, Is.EqualTo("first"));
        Assert.That(first.GetTag("validated"), Is.EqualTo("yes"));
        Assert.That(first.CreationTimestamp, Is.EqualTo(Clock.Now));
        Assert.That((await registry.GetRegisteredModelAsync("m1")).LastUpdatedTimestamp, Is.EqualTo(Clock.Now), "a new version bumps the model");
        Assert.That(await registry.GetModelVersionAsync("m1", 1), Is.EqualTo(first).Using<ModelVersion>((a, b) => a.Version == b.Version && a.Source == b.Source && a.Description == b.Description));
    }

    [Test]
    public async Task Create_on_an_unknown_model_or_with_bad_input_fails_with_mlflow_codes()
    {
        var registry = OpenRegistry();
        Assert.That(await CodeOf(() => registry.CreateModelVersionAsync(new CreateModelVersionRequest("nope", "file:///a"))), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(await CodeOf(() => registry.CreateModelVersionAsync(new CreateModelVersionRequest("m", ""))), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.CreateModelVersionAsync(new CreateModelVersionRequest("m", "file:///a") { RunId = "../x" })), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.CreateModelVersionAsync(new CreateModelVersionRequest("m", "file:///a") { Tags = [new ModelVersionTag("../t", "v")] })), Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Unknown_versions_are_resource_does_not_exist()
    {
        var registry = await RegistryWithVersionsAsync("m1", 1);
        foreach (var version in new[] { 0, -1, 2, int.MaxValue })
        {
            var error = (await Assert.ThrowsAsync<MlflowException>(() => registry.GetModelVersionAsync("m1", version)))!;
            Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
            Assert.That(error.Message, Does.Contain("Model Version (name=m1, version="));
        }
    }

    [Test]
    public async Task Update_sets_the_description_and_the_version_time()
    {
        var registry = await RegistryWithVersionsAsync("m1", 1);
        Clock.Now += 100;
        var updated = await registry.UpdateModelVersionAsync("m1", 1, "better");
        Assert.That(updated.Description, Is.EqualTo("better"));
        Assert.That(updated.LastUpdatedTimestamp, Is.EqualTo(Clock.Now));
        Assert.That((await registry.GetModelVersionAsync("m1", 1)).Description, Is.EqualTo("better"));
    }

    [Test]
    public async Task Delete_hides_the_version_keeps_its_number_and_drops_its_aliases()
    {
        var registry = await RegistryWithVersionsAsync("m1", 3);
        await registry.SetRegisteredModelAliasAsync("m1", "champion", 3);
        await registry.SetRegisteredModelAliasAsync("m1", "other", 1);
        await registry.DeleteModelVersionAsync("m1", 3);

        Assert.That(await CodeOf(() => registry.GetModelVersionAsync("m1", 3)), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(await CodeOf(() => registry.DeleteModelVersionAsync("m1", 3)), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(await CodeOf(() => registry.GetModelVersionDownloadUriAsync("m1", 3)), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(ReadFile("models/m1/version-3/meta.yaml"), Does.Contain("current_stage: Deleted_Internal\n"));
        Assert.That(System.IO.File.Exists(Path.Combine(Root, "models", "m1", "aliases", "champion")), Is.False);
        Assert.That((await registry.GetRegisteredModelAsync("m1")).Aliases, Is.EqualTo(new[] { new RegisteredModelAlias("other", 1) }));
        Assert.That((await registry.SearchModelVersionsAsync(new SearchModelVersionsRequest())).Items.Select(v => v.Version), Is.EquivalentTo(new[] { 1, 2 }));

        var next = await registry.CreateModelVersionAsync(new CreateModelVersionRequest("m1", "file:///next"));
        Assert.That(next.Version, Is.EqualTo(4), "a deleted version's number is never reused");
    }

    [Test]
    public async Task Version_tags_are_set_overwritten_and_deleted()
    {
        var registry = await RegistryWithVersionsAsync("m1", 1);
        await registry.SetModelVersionTagAsync("m1", 1, new ModelVersionTag("validated", "no"));
        await registry.SetModelVersionTagAsync("m1", 1, new ModelVersionTag("validated", "yes"));
        await registry.SetModelVersionTagAsync("m1", 1, new ModelVersionTag("a/b", "c"));
        Assert.That((await registry.GetModelVersionAsync("m1", 1)).Tags, Is.EqualTo(new[] { new ModelVersionTag("a/b", "c"), new ModelVersionTag("validated", "yes") }));
        Assert.That(ReadFile("models/m1/version-1/tags/a/b"), Is.EqualTo("c"));

        await registry.DeleteModelVersionTagAsync("m1", 1, "validated");
        await registry.DeleteModelVersionTagAsync("m1", 1, "never-set");
        Assert.That((await registry.GetModelVersionAsync("m1", 1)).GetTag("validated"), Is.Null);
        Assert.That(await CodeOf(() => registry.SetModelVersionTagAsync("m1", 5, new ModelVersionTag("k", "v"))), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(await CodeOf(() => registry.SetModelVersionTagAsync("m1", 1, new ModelVersionTag("k", null!))), Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Transition_moves_the_stage_and_archives_the_others_when_asked()
    {
        var registry = await RegistryWithVersionsAsync("m1", 3);
        await registry.TransitionModelVersionStageAsync("m1", 1, ModelVersionStage.Production, archiveExistingVersions: false);
        await registry.TransitionModelVersionStageAsync("m1", 2, ModelVersionStage.Production, archiveExistingVersions: false);
        Clock.Now += 50;
        var third = await registry.TransitionModelVersionStageAsync("m1", 3, ModelVersionStage.Production, archiveExistingVersions: true);

        Assert.That(third.CurrentStage, Is.EqualTo(ModelVersionStage.Production));
        Assert.That(third.LastUpdatedTimestamp, Is.EqualTo(Clock.Now));
        var first = await registry.GetModelVersionAsync("m1", 1);
        Assert.That(first.CurrentStage, Is.EqualTo(ModelVersionStage.Archived));
        Assert.That(first.LastUpdatedTimestamp, Is.EqualTo(Clock.Now));
        Assert.That((await registry.GetModelVersionAsync("m1", 2)).CurrentStage, Is.EqualTo(ModelVersionStage.Archived));
        Assert.That((await registry.GetRegisteredModelAsync("m1")).LastUpdatedTimestamp, Is.EqualTo(Clock.Now));
        Assert.That(ReadFile("models/m1/version-3/meta.yaml"), Does.Contain("current_stage: Production\n"));
    }

    [Test]
    public async Task Archiving_existing_versions_is_only_allowed_for_staging_and_production()
    {
        var registry = await RegistryWithVersionsAsync("m1", 1);
        Assert.That(await CodeOf(() => registry.TransitionModelVersionStageAsync("m1", 1, ModelVersionStage.Archived, true)), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.TransitionModelVersionStageAsync("m1", 1, ModelVersionStage.None, true)), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.TransitionModelVersionStageAsync("m1", 9, ModelVersionStage.Staging, false)), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await registry.TransitionModelVersionStageAsync("m1", 1, ModelVersionStage.Staging, true)).CurrentStage, Is.EqualTo(ModelVersionStage.Staging));
    }

    [TestCase("production", ModelVersionStage.Production)]
    [TestCase("STAGING", ModelVersionStage.Staging)]
    [TestCase("none", ModelVersionStage.None)]
    [TestCase("Archived", ModelVersionStage.Archived)]
    public void Stage_words_parse_case_insensitively(string text, ModelVersionStage expected)
    {
        Assert.That(ModelVersionStages.Parse(text), Is.EqualTo(expected));
        Assert.That(expected.ToWireName(), Is.EqualTo(expected.ToString()));
    }

    [TestCase("Prod")]
    [TestCase("")]
    [TestCase(null)]
    [TestCase("Deleted_Internal")]
    public void Unknown_stage_words_are_invalid_parameters(string? text)
    {
        var error = Assert.Throws<MlflowException>(() => ModelVersionStages.Parse(text))!;
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("None, Staging, Production, Archived"));
    }

    [Test]
    public async Task Latest_versions_give_the_highest_version_per_stage()
    {
        var registry = await RegistryWithVersionsAsync("m1", 5);
        await registry.TransitionModelVersionStageAsync("m1", 1, ModelVersionStage.Production, false);
        await registry.TransitionModelVersionStageAsync("m1", 2, ModelVersionStage.Production, false);
        await registry.TransitionModelVersionStageAsync("m1", 3, ModelVersionStage.Staging, false);
        await registry.DeleteModelVersionAsync("m1", 5);

        var all = await registry.GetLatestVersionsAsync("m1");
        Assert.That(all.Select(v => (v.CurrentStage, v.Version)), Is.EqualTo(new[] { (ModelVersionStage.None, 4), (ModelVersionStage.Staging, 3), (ModelVersionStage.Production, 2) }));
        var production = await registry.GetLatestVersionsAsync("m1", [ModelVersionStage.Production]);
        Assert.That(production.Single().Version, Is.EqualTo(2));
        Assert.That(await registry.GetLatestVersionsAsync("m1", [ModelVersionStage.Archived]), Is.Empty);
        Assert.That((await registry.GetRegisteredModelAsync("m1")).LatestVersions.Select(v => v.Version), Is.EqualTo(new[] { 4, 3, 2 }));
        Assert.That(await CodeOf(() => registry.GetLatestVersionsAsync("nope")), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Download_uri_is_the_source_and_models_sources_resolve_to_the_referenced_location()
    {
        var registry = await RegistryWithVersionsAsync("m1", 1);
        Assert.That(await registry.GetModelVersionDownloadUriAsync("m1", 1), Is.EqualTo("file:///src/1"));
        await registry.SetRegisteredModelAliasAsync("m1", "champion", 1);

        await registry.CreateRegisteredModelAsync("copy");
        var copy = await registry.CreateModelVersionAsync(new CreateModelVersionRequest("copy", "models:/m1@champion"));
        Assert.That(copy.Source, Is.EqualTo("models:/m1@champion"));
        Assert.That(await registry.GetModelVersionDownloadUriAsync("copy", copy.Version), Is.EqualTo("file:///src/1"));
        Assert.That(ReadFile("models/copy/version-1/meta.yaml"), Does.Contain("storage_location: file:///src/1\n"));

        var error = (await Assert.ThrowsAsync<MlflowException>(() => registry.CreateModelVersionAsync(new CreateModelVersionRequest("copy", "models:/m1/7"))))!;
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(error.Message, Does.StartWith("Unable to fetch model from model URI source artifact location 'models:/m1/7'"));
    }
}
