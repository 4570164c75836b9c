using static MlWorkflow.Server.Tests.MlflowAssert;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Server.Tests.Contract;

/// <summary>
/// The behaviour every <see cref="IModelRegistryStore"/> shares, call for call: run against the file registry directly and
/// against the REST registry through MlWorkflow's server, so that both answer the same values and the same error codes.
/// </summary>
public abstract partial class ModelRegistryStoreContract
{
    protected const string RunA = "0123456789abcdef0123456789abcdef";
    protected const string RunB = "fedcba9876543210fedcba9876543210";
    private TemporaryDirectory _directory = null!;

    /// <summary>The registry under test, fresh for each test.</summary>
    protected IModelRegistryStore Registry { get; private set; } = null!;

    [SetUp]
    public async Task CreateRegistry()
    {
        _directory = new TemporaryDirectory();
        Registry = await CreateRegistryAsync(_directory.Combine("mlruns"));
    }

    [TearDown]
    public void DeleteRegistry() => _directory.Dispose();

    /// <summary>Creates the registry under test over a file registry rooted at <paramref name="root"/>.</summary>
    protected abstract Task<IModelRegistryStore> CreateRegistryAsync(string root);

    protected Task<ModelVersion> NewVersionAsync(string name, string? runId = RunA, string path = "model") =>
        Registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, runId is null ? "s3://bucket/" + path : $"runs:/{runId}/{path}") { RunId = runId });

    [Test]
    public async Task Created_model_reads_back_with_its_tags_and_description()
    {
        var created = await Registry.CreateRegisteredModelAsync("sales", [new RegisteredModelTag("team", "ml"), new RegisteredModelTag("note", "é ü 数")], "forecasts");

        var model = await Registry.GetRegisteredModelAsync("sales");

        Assert.That(model.Name, Is.EqualTo("sales"));
        Assert.That(model.Description, Is.EqualTo("forecasts"));
        Assert.That(model.GetTag("team"), Is.EqualTo("ml"));
        Assert.That(model.GetTag("note"), Is.EqualTo("é ü 数"));
        Assert.That(model.CreationTimestamp, Is.GreaterThan(0).And.EqualTo(created.CreationTimestamp));
        Assert.That(model.LastUpdatedTimestamp, Is.EqualTo(created.LastUpdatedTimestamp));
        Assert.That(model.LatestVersions, Is.Empty);
        Assert.That(model.Aliases, Is.Empty);
    }

    [Test]
    public async Task Model_without_description_has_none()
    {
        await Registry.CreateRegisteredModelAsync("plain");

        var model = await Registry.GetRegisteredModelAsync("plain");

        Assert.That(model.Description, Is.Null);
        Assert.That(model.Tags, Is.Empty);
    }

    [Test]
    public async Task Duplicate_model_name_is_resource_already_exists()
    {
        await Registry.CreateRegisteredModelAsync("dup");

        var error = await Fails(() => Registry.CreateRegisteredModelAsync("dup"));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceAlreadyExists));
        Assert.That(error.Message, Does.Contain("dup"));
    }

    [Test]
    public async Task Unknown_model_is_resource_does_not_exist_for_every_call()
    {
        Assert.That((await Fails(() => Registry.GetRegisteredModelAsync("ghost"))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => Registry.UpdateRegisteredModelAsync("ghost", "d"))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => Registry.DeleteRegisteredModelAsync("ghost"))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => Registry.RenameRegisteredModelAsync("ghost", "other"))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => Registry.SetRegisteredModelTagAsync("ghost", new RegisteredModelTag("k", "v")))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => Registry.GetLatestVersionsAsync("ghost"))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Fails(() => NewVersionAsync("ghost"))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [TestCase("a/b")]
    [TestCase("50%")]
    [TestCase("..")]
    public async Task Model_name_that_could_leave_the_registry_is_invalid_parameter(string name)
    {
        var error = await Fails(() => Registry.CreateRegisteredModelAsync(name));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Rename_keeps_versions_tags_and_aliases_under_the_new_name()
    {
        await Registry.CreateRegisteredModelAsync("old", [new RegisteredModelTag("k", "v")]);
        await NewVersionAsync("old");
        await Registry.SetRegisteredModelAliasAsync("old", "champion", 1);

        var renamed = await Registry.RenameRegisteredModelAsync("old", "new");

        Assert.That(renamed.Name, Is.EqualTo("new"));
        Assert.That(renamed.GetTag("k"), Is.EqualTo("v"));
        Assert.That(renamed.GetAliasVersion("champion"), Is.EqualTo(1));
        Assert.That((await Registry.GetModelVersionAsync("new", 1)).Name, Is.EqualTo("new"));
        Assert.That((await Fails(() => Registry.GetRegisteredModelAsync("old"))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Rename_to_a_taken_name_is_resource_already_exists()
    {
        await Registry.CreateRegisteredModelAsync("a");
        await Registry.CreateRegisteredModelAsync("b");

        var error = await Fails(() => Registry.RenameRegisteredModelAsync("a", "b"));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceAlreadyExists));
    }

    [Test]
    public async Task Update_sets_and_clears_the_description()
    {
        var created = await Registry.CreateRegisteredModelAsync("m");

        var updated = await Registry.UpdateRegisteredModelAsync("m", "first");
        var cleared = await Registry.UpdateRegisteredModelAsync("m", null);

        Assert.That(updated.Description, Is.EqualTo("first"));
        Assert.That(updated.LastUpdatedTimestamp, Is.GreaterThanOrEqualTo(created.LastUpdatedTimestamp));
        Assert.That(cleared.Description, Is.Null);
        Assert.That((await Registry.GetRegisteredModelAsync("m")).Description, Is.Null);
    }

    [Test]
    public async Task Delete_removes_the_model_with_its_versions()
    {
        await Registry.CreateRegisteredModelAsync("gone");
        await NewVersionAsync("gone");

        await Registry.DeleteRegisteredModelAsync("gone");

        Assert.That((await Fails(() => Registry.GetRegisteredModelAsync("gone"))).ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Registry.SearchModelVersionsAsync(new SearchModelVersionsRequest())).Items, Is.Empty);
        await Registry.CreateRegisteredModelAsync("gone");
        Assert.That((await NewVersionAsync("gone")).Version, Is.EqualTo(1));
    }

    [Test]
    public async Task Model_tags_are_set_overwritten_and_deleted()
    {
        await Registry.CreateRegisteredModelAsync("m");

        await Registry.SetRegisteredModelTagAsync("m", new RegisteredModelTag("stage", "dev"));
        await Registry.SetRegisteredModelTagAsync("m", new RegisteredModelTag("stage", "prod"));
        await Registry.SetRegisteredModelTagAsync("m", new RegisteredModelTag("owner", "ana"));
        await Registry.DeleteRegisteredModelTagAsync("m", "owner");
        await Registry.DeleteRegisteredModelTagAsync("m", "never-set");

        var model = await Registry.GetRegisteredModelAsync("m");
        Assert.That(model.Tags, Is.EqualTo(new[] { new RegisteredModelTag("stage", "prod") }));
    }
}
