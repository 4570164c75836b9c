using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Tests.Registry;

/// <summary>Registered models on a real file registry: create, get, rename, update, delete, tags, aliases.</summary>
public class RegisteredModelOperationTests : RegistryTestFixture
{
    [Test]
    public async Task Create_then_get_returns_name_description_tags_and_times()
    {
        var registry = OpenRegistry();
        var created = await registry.CreateRegisteredModelAsync("m1", [new RegisteredModelTag("owner", "me"), new RegisteredModelTag("a/b", "c")], "hello");
        var read = await registry.GetRegisteredModelAsync("m1");

        Assert.That(read.Name, Is.EqualTo("m1"));
        Assert.That(read.Description, Is.EqualTo("hello"));
        Assert.That(read.CreationTimestamp, Is.EqualTo(Clock.Now));
        Assert.That(read.LastUpdatedTimestamp, Is.EqualTo(Clock.Now));
        Assert.That(read.Tags, Is.EqualTo(new[] { new RegisteredModelTag("a/b", "c"), new RegisteredModelTag("owner", "me") }));
        Assert.That(read.LatestVersions, Is.Empty);
        Assert.That(read.Aliases, Is.Empty);
        Assert.That(created.Tags, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Creating_a_taken_name_is_resource_already_exists()
    {
        var registry = OpenRegistry();
        await registry.CreateRegisteredModelAsync("m1");
        var error = (await Assert.ThrowsAsync<MlflowException>(() => registry.CreateRegisteredModelAsync("m1")))!;
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceAlreadyExists));
        Assert.That(error.Message, Is.EqualTo("Registered Model (name=m1) already exists."));
    }

    [Test]
    public async Task Getting_an_unknown_model_is_resource_does_not_exist()
    {
        var error = (await Assert.ThrowsAsync<MlflowException>(() => OpenRegistry().GetRegisteredModelAsync("nope")))!;
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(error.Message, Does.Contain("name=nope"));
    }

    [Test]
    public async Task Update_sets_and_clears_the_description_and_bumps_the_time()
    {
        var registry = OpenRegistry();
        await registry.CreateRegisteredModelAsync("m1");
        Clock.Now += 10;
        var updated = await registry.UpdateRegisteredModelAsync("m1", "line1\nline2 é");
        Assert.That(updated.Description, Is.EqualTo("line1\nline2 é"));
        Assert.That(updated.LastUpdatedTimestamp, Is.EqualTo(Clock.Now));
        Assert.That((await registry.GetRegisteredModelAsync("m1")).Description, Is.EqualTo("line1\nline2 é"));

        Assert.That((await registry.UpdateRegisteredModelAsync("m1", null)).Description, Is.Null);
        Assert.That(await CodeOf(() => registry.UpdateRegisteredModelAsync("nope", "x")), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Rename_moves_versions_tags_and_aliases_and_frees_the_old_name()
    {
        var registry = await RegistryWithVersionsAsync("old", 2);
        await registry.SetRegisteredModelTagAsync("old", new RegisteredModelTag("t", "v"));
        await registry.SetModelVersionTagAsync("old", 2, new ModelVersionTag("vt", "x"));
        await registry.SetRegisteredModelAliasAsync("old", "champion", 2);

        var renamed = await registry.RenameRegisteredModelAsync("old", "new");

        Assert.That(renamed.Name, Is.EqualTo("new"));
        Assert.That(renamed.GetTag("t"), Is.EqualTo("v"));
        Assert.That(renamed.GetAliasVersion("champion"), Is.EqualTo(2));
        var version = await registry.GetModelVersionAsync("new", 2);
        Assert.That(version.Name, Is.EqualTo("new"));
        Assert.That(version.GetTag("vt"), Is.EqualTo("x"));
        Assert.That(ReadFile("models/new/version-1/meta.yaml"), Does.Contain("\nname: new\n"));
        Assert.That(await CodeOf(() => registry.GetRegisteredModelAsync("old")), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(Directory.Exists(Path.Combine(Root, "models", "old")), Is.False);
    }

    [Test]
    public async Task Rename_to_a_taken_name_is_resource_already_exists_and_changes_nothing()
    {
        var registry = await RegistryWithVersionsAsync("a", 1);
        await registry.CreateRegisteredModelAsync("b");
        Assert.That(await CodeOf(() => registry.RenameRegisteredModelAsync("a", "b")), Is.EqualTo(ErrorCode.ResourceAlreadyExists));
        Assert.That(await CodeOf(() => registry.RenameRegisteredModelAsync("a", "a")), Is.EqualTo(ErrorCode.ResourceAlreadyExists));
        Assert.That(await CodeOf(() => registry.RenameRegisteredModelAsync("zz", "c")), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await registry.GetModelVersionAsync("a", 1)).Name, Is.EqualTo("a"));
    }

    [Test]
    public async Task Delete_removes_the_model_with_its_versions_and_the_name_can_be_reused()
    {
        var registry = await RegistryWithVersionsAsync("m1", 3);
        await registry.SetRegisteredModelAliasAsync("m1", "champion", 3);
        await registry.DeleteRegisteredModelAsync("m1");

        Assert.That(Directory.Exists(Path.Combine(Root, "models", "m1")), Is.False);
        Assert.That(await CodeOf(() => registry.GetRegisteredModelAsync("m1")), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(await CodeOf(() => registry.GetModelVersionAsync("m1", 1)), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await registry.SearchModelVersionsAsync(new SearchModelVersionsRequest())).Items, Is.Empty);
        Assert.That(await CodeOf(() => registry.DeleteRegisteredModelAsync("m1")), Is.EqualTo(ErrorCode.ResourceDoesNotExist));

        await registry.CreateRegisteredModelAsync("m1");
        var first = await registry.CreateModelVersionAsync(new CreateModelVersionRequest("m1", "file:///again"));
        Assert.That(first.Version, Is.EqualTo(1), "a new model starts again at version 1");
        Assert.That((await registry.GetRegisteredModelAsync("m1")).Aliases, Is.Empty);
    }

    [Test]
    public async Task Tags_are_set_overwritten_and_deleted_and_bump_the_time()
    {
        var registry = OpenRegistry();
        await registry.CreateRegisteredModelAsync("m1");
        Clock.Now += 5;
        await registry.SetRegisteredModelTagAsync("m1", new RegisteredModelTag("k", "1"));
        await registry.SetRegisteredModelTagAsync("m1", new RegisteredModelTag("k", "2"));
        await registry.SetRegisteredModelTagAsync("m1", new RegisteredModelTag("nested/key with space", ""));
        var model = await registry.GetRegisteredModelAsync("m1");
        Assert.That(model.GetTag("k"), Is.EqualTo("2"));
        Assert.That(model.GetTag("nested/key with space"), Is.EqualTo(string.Empty));
        Assert.That(model.LastUpdatedTimestamp, Is.EqualTo(Clock.Now));
        Assert.That(ReadFile("models/m1/tags/k"), Is.EqualTo("2"));

        await registry.DeleteRegisteredModelTagAsync("m1", "k");
        await registry.DeleteRegisteredModelTagAsync("m1", "never-set");
        Assert.That((await registry.GetRegisteredModelAsync("m1")).GetTag("k"), Is.Null);
        Assert.That(await CodeOf(() => registry.SetRegisteredModelTagAsync("nope", new RegisteredModelTag("k", "v"))), Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [TestCase("../x")]
    [TestCase("/abs")]
    [TestCase("a//b")]
    [TestCase("")]
    [TestCase("bad\u0000key")]
    public async Task Unsafe_tag_keys_are_invalid_parameters(string key)
    {
        var registry = OpenRegistry();
        Assert.That(await CodeOf(async () =>
        {
            await registry.CreateRegisteredModelAsync("m1");
            await registry.SetRegisteredModelTagAsync("m1", new RegisteredModelTag(key, "v"));
        }), Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Tag_values_over_5000_characters_are_refused()
    {
        var registry = OpenRegistry();
        await registry.CreateRegisteredModelAsync("m1");
        await registry.SetRegisteredModelTagAsync("m1", new RegisteredModelTag("k", new string('x', 5000)));
        Assert.That(await CodeOf(() => registry.SetRegisteredModelTagAsync("m1", new RegisteredModelTag("k", new string('x', 5001)))), Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Aliases_are_set_moved_read_and_deleted()
    {
        var registry = await RegistryWithVersionsAsync("m1", 2);
        await registry.SetRegisteredModelAliasAsync("m1", "champion", 1);
        Assert.That(ReadFile("models/m1/aliases/champion"), Is.EqualTo("1"));
        Assert.That((await registry.GetModelVersionByAliasAsync("m1", "champion")).Version, Is.EqualTo(1));

        await registry.SetRegisteredModelAliasAsync("m1", "champion", 2);
        var byAlias = await registry.GetModelVersionByAliasAsync("m1", "champion");
        Assert.That(byAlias.Version, Is.EqualTo(2));
        Assert.That(byAlias.Aliases, Is.EqualTo(new[] { "champion" }));
        Assert.That((await registry.GetModelVersionAsync("m1", 1)).Aliases, Is.Empty);
        Assert.That((await registry.GetRegisteredModelAsync("m1")).Aliases, Is.EqualTo(new[] { new RegisteredModelAlias("champion", 2) }));

        await registry.DeleteRegisteredModelAliasAsync("m1", "champion");
        var error = (await Assert.ThrowsAsync<MlflowException>(() => registry.GetModelVersionByAliasAsync("m1", "champion")))!;
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue), "MLflow answers 400, not 404, for an unknown alias");
        Assert.That(error.Message, Does.StartWith("Registered model alias champion not found"));
    }

    [Test]
    public async Task Alias_errors_have_mlflow_codes()
    {
        var registry = await RegistryWithVersionsAsync("m1", 1);
        Assert.That(await CodeOf(() => registry.SetRegisteredModelAliasAsync("m1", "champion", 9)), Is.EqualTo(ErrorCode.ResourceDoesNotExist), "unknown version");
        Assert.That(await CodeOf(() => registry.SetRegisteredModelAliasAsync("nope", "champion", 1)), Is.EqualTo(ErrorCode.ResourceDoesNotExist), "unknown model");
        Assert.That(await CodeOf(() => registry.SetRegisteredModelAliasAsync("m1", "latest", 1)), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.SetRegisteredModelAliasAsync("m1", "LATEST", 1)), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.SetRegisteredModelAliasAsync("m1", "v1", 1)), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.SetRegisteredModelAliasAsync("m1", "../x", 1)), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.SetRegisteredModelAliasAsync("m1", "a.b", 1)), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.SetRegisteredModelAliasAsync("m1", "", 1)), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.SetRegisteredModelAliasAsync("m1", new string('a', 256), 1)), Is.EqualTo(ErrorCode.InvalidParameterValue));
        await registry.SetRegisteredModelAliasAsync("m1", new string('a', 255), 1);
        await registry.SetRegisteredModelAliasAsync("m1", "v1a_b-c", 1);
        Assert.That((await registry.GetRegisteredModelAsync("m1")).Aliases, Has.Count.EqualTo(2));
    }
}
