using static MlWorkflow.Server.Tests.MlflowAssert;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Server.Tests.Contract;

/// <summary>Model versions: numbering, sources, descriptions, tags, stages, latest versions, aliases, download URIs.</summary>
public abstract partial class ModelRegistryStoreContract
{
    [Test]
    public async Task Versions_are_numbered_from_one_and_a_deleted_number_is_never_reused()
    {
        await Registry.CreateRegisteredModelAsync("m");
        var first = await NewVersionAsync("m");
        var second = await NewVersionAsync("m");

        await Registry.DeleteModelVersionAsync("m", 2);
        var third = await NewVersionAsync("m");

        Assert.That(new[] { first.Version, second.Version, third.Version }, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That((await Fails(() => Registry.GetModelVersionAsync("m", 2))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => Registry.DeleteModelVersionAsync("m", 2))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Version_from_a_runs_uri_keeps_its_source_run_tags_and_description()
    {
        await Registry.CreateRegisteredModelAsync("m");

        var created = await Registry.CreateModelVersionAsync(new CreateModelVersionRequest("m", $"runs:/{RunA}/model")
        {
            RunId = RunA,
            Tags = [new ModelVersionTag("x", "y")],
            Description = "second try",
            RunLink = "http://elsewhere/run",
        });
        var read = await Registry.GetModelVersionAsync("m", created.Version);

        Assert.That(read.Name, Is.EqualTo("m"));
        Assert.That(read.Version, Is.EqualTo(1));
        Assert.That(read.Source, Is.EqualTo($"runs:/{RunA}/model"));
        Assert.That(read.RunId, Is.EqualTo(RunA));
        Assert.That(read.RunLink, Is.EqualTo("http://elsewhere/run"));
        Assert.That(read.Description, Is.EqualTo("second try"));
        Assert.That(read.GetTag("x"), Is.EqualTo("y"));
        Assert.That(read.CurrentStage, Is.EqualTo(ModelVersionStage.None));
        Assert.That(read.Status, Is.EqualTo(ModelVersionStatus.Ready));
        Assert.That(read.CreationTimestamp, Is.EqualTo(created.CreationTimestamp));
        Assert.That(await Registry.GetModelVersionDownloadUriAsync("m", 1), Is.EqualTo($"runs:/{RunA}/model"));
    }

    [Test]
    public async Task Version_from_a_plain_source_has_no_run_and_no_description()
    {
        await Registry.CreateRegisteredModelAsync("m");

        var version = await NewVersionAsync("m", runId: null, path: "models/7");

        Assert.That(version.Source, Is.EqualTo("s3://bucket/models/7"));
        Assert.That(version.RunId, Is.Null);
        Assert.That(version.Description, Is.Null);
        Assert.That(version.RunLink, Is.Null);
        Assert.That(version.Aliases, Is.Empty);
        Assert.That(await Registry.GetModelVersionDownloadUriAsync("m", 1), Is.EqualTo("s3://bucket/models/7"));
    }

    [Test]
    public async Task Version_from_a_models_uri_downloads_from_the_version_it_names()
    {
        await Registry.CreateRegisteredModelAsync("base");
        await NewVersionAsync("base", runId: null, path: "base-model");
        await Registry.CreateRegisteredModelAsync("copy");

        var copy = await Registry.CreateModelVersionAsync(new CreateModelVersionRequest("copy", "models:/base/1"));

        Assert.That(copy.Source, Is.EqualTo("models:/base/1"));
        Assert.That(await Registry.GetModelVersionDownloadUriAsync("copy", copy.Version), Is.EqualTo("s3://bucket/base-model"));
    }

    [Test]
    public async Task Version_description_is_updated_and_tags_set_and_deleted()
    {
        await Registry.CreateRegisteredModelAsync("m");
        await NewVersionAsync("m");

        var updated = await Registry.UpdateModelVersionAsync("m", 1, "checked");
        await Registry.SetModelVersionTagAsync("m", 1, new ModelVersionTag("validated", "no"));
        await Registry.SetModelVersionTagAsync("m", 1, new ModelVersionTag("validated", "yes"));
        await Registry.SetModelVersionTagAsync("m", 1, new ModelVersionTag("tmp", "1"));
        await Registry.DeleteModelVersionTagAsync("m", 1, "tmp");

        var read = await Registry.GetModelVersionAsync("m", 1);
        Assert.That(updated.Description, Is.EqualTo("checked"));
        Assert.That(read.Description, Is.EqualTo("checked"));
        Assert.That(read.Tags, Is.EqualTo(new[] { new ModelVersionTag("validated", "yes") }));
        Assert.That((await Fails(() => Registry.SetModelVersionTagAsync("m", 9, new ModelVersionTag("k", "v")))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Unknown_or_zero_version_is_resource_does_not_exist()
    {
        await Registry.CreateRegisteredModelAsync("m");

        Assert.That((await Fails(() => Registry.GetModelVersionAsync("m", 1))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => Registry.GetModelVersionAsync("m", 0))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => Registry.UpdateModelVersionAsync("m", 3, "d"))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => Registry.GetModelVersionDownloadUriAsync("m", 3))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => Registry.TransitionModelVersionStageAsync("m", 3, ModelVersionStage.Staging, false))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Transition_with_archive_existing_versions_archives_the_others_in_that_stage()
    {
        await Registry.CreateRegisteredModelAsync("m");
        for (var i = 0; i < 3; i++)
        {
            await NewVersionAsync("m");
        }

        await Registry.TransitionModelVersionStageAsync("m", 1, ModelVersionStage.Production, false);
        await Registry.TransitionModelVersionStageAsync("m", 2, ModelVersionStage.Staging, false);
        var promoted = await Registry.TransitionModelVersionStageAsync("m", 3, ModelVersionStage.Production, archiveExistingVersions: true);

        Assert.That(promoted.CurrentStage, Is.EqualTo(ModelVersionStage.Production));
        Assert.That((await Registry.GetModelVersionAsync("m", 1)).CurrentStage, Is.EqualTo(ModelVersionStage.Archived));
        Assert.That((await Registry.GetModelVersionAsync("m", 2)).CurrentStage, Is.EqualTo(ModelVersionStage.Staging));
    }

    [Test]
    public async Task Transition_without_archiving_keeps_two_versions_in_a_stage()
    {
        await Registry.CreateRegisteredModelAsync("m");
        await NewVersionAsync("m");
        await NewVersionAsync("m");

        await Registry.TransitionModelVersionStageAsync("m", 1, ModelVersionStage.Staging, false);
        await Registry.TransitionModelVersionStageAsync("m", 2, ModelVersionStage.Staging, false);

        Assert.That((await Registry.GetModelVersionAsync("m", 1)).CurrentStage, Is.EqualTo(ModelVersionStage.Staging));
        Assert.That((await Registry.GetLatestVersionsAsync("m", [ModelVersionStage.Staging])).Single().Version, Is.EqualTo(2));
    }

    [Test]
    public async Task A_version_without_a_usable_source_run_id_or_tag_is_invalid_parameter_and_adds_nothing()
    {
        await Registry.CreateRegisteredModelAsync("m");
        CreateModelVersionRequest[] refused =
        [
            new("m", string.Empty),
            new("m", "s3://bucket/model\0x"),
            new("m", "s3://bucket/model") { RunId = "../escape" },
            new("m", "s3://bucket/model") { Tags = [new ModelVersionTag(string.Empty, "v")] },
        ];

        foreach (var request in refused)
        {
            Assert.That((await Fails(() => Registry.CreateModelVersionAsync(request))).ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue), request.ToString());
        }

        Assert.That((await Registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = "name = 'm'" })).Items, Is.Empty);
    }

    [TestCase(ModelVersionStage.Archived)]
    [TestCase(ModelVersionStage.None)]
    public async Task Archiving_existing_versions_into_an_inactive_stage_is_invalid_parameter(ModelVersionStage stage)
    {
        await Registry.CreateRegisteredModelAsync("m");
        await NewVersionAsync("m");

        var error = await Fails(() => Registry.TransitionModelVersionStageAsync("m", 1, stage, archiveExistingVersions: true));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Latest_versions_are_the_highest_per_stage_in_stage_order()
    {
        await Registry.CreateRegisteredModelAsync("m");
        for (var i = 0; i < 5; i++)
        {
            await NewVersionAsync("m");
        }

        await Registry.TransitionModelVersionStageAsync("m", 1, ModelVersionStage.Production, false);
        await Registry.TransitionModelVersionStageAsync("m", 2, ModelVersionStage.Production, false);
        await Registry.TransitionModelVersionStageAsync("m", 3, ModelVersionStage.Staging, false);
        await Registry.TransitionModelVersionStageAsync("m", 4, ModelVersionStage.Archived, false);

        var all = await Registry.GetLatestVersionsAsync("m");
        var production = await Registry.GetLatestVersionsAsync("m", [ModelVersionStage.Production]);
        var model = await Registry.GetRegisteredModelAsync("m");

        Assert.That(all.Select(v => (v.CurrentStage, v.Version)), Is.EqualTo(new[]
        {
            (ModelVersionStage.None, 5), (ModelVersionStage.Staging, 3), (ModelVersionStage.Production, 2), (ModelVersionStage.Archived, 4),
        }));
        Assert.That(production.Select(v => v.Version), Is.EqualTo(new[] { 2 }));
        Assert.That(model.LatestVersions.Select(v => v.Version), Is.EqualTo(new[] { 5, 3, 2, 4 }));
    }

    [Test]
    public async Task Aliases_point_move_resolve_and_go()
    {
        await Registry.CreateRegisteredModelAsync("m");
        await NewVersionAsync("m");
        await NewVersionAsync("m");

        await Registry.SetRegisteredModelAliasAsync("m", "champion", 1);
        await Registry.SetRegisteredModelAliasAsync("m", "challenger", 2);
        await Registry.SetRegisteredModelAliasAsync("m", "champion", 2);
        var byAlias = await Registry.GetModelVersionByAliasAsync("m", "champion");
        var model = await Registry.GetRegisteredModelAsync("m");
        await Registry.DeleteRegisteredModelAliasAsync("m", "challenger");

        Assert.That(byAlias.Version, Is.EqualTo(2));
        Assert.That(byAlias.Aliases, Is.EqualTo(new[] { "challenger", "champion" }));
        Assert.That(model.Aliases, Is.EqualTo(new[] { new RegisteredModelAlias("challenger", 2), new RegisteredModelAlias("champion", 2) }));
        Assert.That((await Registry.GetModelVersionAsync("m", 1)).Aliases, Is.Empty);
        Assert.That((await Registry.GetRegisteredModelAsync("m")).Aliases, Is.EqualTo(new[] { new RegisteredModelAlias("champion", 2) }));
    }

    [Test]
    public async Task Unknown_alias_is_invalid_parameter_as_mlflow_answers()
    {
        await Registry.CreateRegisteredModelAsync("m");

        var error = await Fails(() => Registry.GetModelVersionByAliasAsync("m", "nope"));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("Registered model alias nope not found"));
    }

    [Test]
    public async Task Alias_errors_are_typed()
    {
        await Registry.CreateRegisteredModelAsync("m");
        await NewVersionAsync("m");

        Assert.That((await Fails(() => Registry.SetRegisteredModelAliasAsync("m", "latest", 1))).ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Fails(() => Registry.SetRegisteredModelAliasAsync("m", "v2", 1))).ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Fails(() => Registry.SetRegisteredModelAliasAsync("m", "champion", 7))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => Registry.SetRegisteredModelAliasAsync("ghost", "champion", 1))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Deleting_a_version_removes_the_aliases_that_point_to_it()
    {
        await Registry.CreateRegisteredModelAsync("m");
        await NewVersionAsync("m");
        await Registry.SetRegisteredModelAliasAsync("m", "champion", 1);

        await Registry.DeleteModelVersionAsync("m", 1);

        Assert.That((await Registry.GetRegisteredModelAsync("m")).Aliases, Is.Empty);
        Assert.That((await Fails(() => Registry.GetModelVersionByAliasAsync("m", "champion"))).ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }
}
