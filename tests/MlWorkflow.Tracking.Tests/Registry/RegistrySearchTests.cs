using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Registry;

/// <summary>Registered-model and model-version search: MLflow's grammar (5.4, 5.5), ordering and paging (5.6).</summary>
public class RegistrySearchTests : RegistryTestFixture
{
    private FileModelRegistryStore registry = null!;

    [SetUp]
    public async Task CreateModels()
    {
        registry = OpenRegistry();
        foreach (var (name, team) in new[] { ("sales-a", "ml"), ("sales-b", "ops"), ("Sales-C", "ml"), ("other", (string?)null) })
        {
            Clock.Now += 10;
            await registry.CreateRegisteredModelAsync(name, team is null ? null : [new RegisteredModelTag("team", team)]);
        }

        for (var i = 1; i <= 3; i++)
        {
            Clock.Now += 10;
            await registry.CreateModelVersionAsync(new CreateModelVersionRequest("sales-a", $"s3://bucket/a/{i}")
            {
                RunId = i == 3 ? "bbbb" : "aaaa",
                Tags = i == 2 ? [new ModelVersionTag("validated", "yes")] : [],
            });
        }

        Clock.Now += 10;
        await registry.CreateModelVersionAsync(new CreateModelVersionRequest("sales-b", "file:///b/1"));
    }

    private async Task<string[]> ModelNames(string? filter, params string[] orderBy) =>
        (await registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { Filter = filter, OrderBy = orderBy })).Items.Select(m => m.Name).ToArray();

    private async Task<string[]> Versions(string? filter, params string[] orderBy) =>
        (await registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = filter, OrderBy = orderBy })).Items.Select(v => $"{v.Name}/{v.Version}").ToArray();

    [Test]
    public async Task Registered_models_filter_on_name_and_tags()
    {
        Assert.That(await ModelNames(null), Is.EqualTo(new[] { "Sales-C", "other", "sales-a", "sales-b" }), "default: name ASC, ordinal");
        Assert.That(await ModelNames("name LIKE 'sales-%'"), Is.EqualTo(new[] { "sales-a", "sales-b" }));
        Assert.That(await ModelNames("name ILIKE 'sales-%'"), Is.EqualTo(new[] { "Sales-C", "sales-a", "sales-b" }));
        Assert.That(await ModelNames("name = 'other'"), Is.EqualTo(new[] { "other" }));
        Assert.That(await ModelNames("attribute.name != 'other' AND tags.team = 'ml'"), Is.EqualTo(new[] { "Sales-C", "sales-a" }));
        Assert.That(await ModelNames("tags.team != 'ml'"), Is.EqualTo(new[] { "sales-b" }), "a model without the tag fails != too");
        Assert.That(await ModelNames("tag.`team` LIKE 'o%'"), Is.EqualTo(new[] { "sales-b" }));
    }

    [Test]
    public async Task Registered_models_order_by_times_with_name_as_tie_breaker()
    {
        Assert.That(await ModelNames(null, "creation_timestamp DESC"), Is.EqualTo(new[] { "other", "Sales-C", "sales-b", "sales-a" }));
        Assert.That(await ModelNames(null, "last_updated_timestamp DESC"), Is.EqualTo(new[] { "sales-b", "sales-a", "other", "Sales-C" }));
        Assert.That(await ModelNames(null, "name DESC"), Is.EqualTo(new[] { "sales-b", "sales-a", "other", "Sales-C" }));
    }

    [TestCase("version_number > 1")]
    [TestCase("name = 'a' OR name = 'b'")]
    [TestCase("current_stage = 'Production'")]
    [TestCase("name IN ('a')")]
    [TestCase("metrics.x > 1")]
    [TestCase("name = 5")]
    public async Task Registered_model_filters_outside_the_grammar_are_invalid_parameters(string filter) =>
        Assert.That(await CodeOf(() => registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { Filter = filter })), Is.EqualTo(ErrorCode.InvalidParameterValue));

    [TestCase("version_number")]
    [TestCase("name sideways")]
    [TestCase("tags.team")]
    public async Task Registered_model_order_by_outside_the_grammar_is_invalid(string orderBy) =>
        Assert.That(await CodeOf(() => registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { OrderBy = [orderBy] })), Is.EqualTo(ErrorCode.InvalidParameterValue));

    [Test]
    public async Task Registered_models_page_with_mlflow_tokens()
    {
        var first = await registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { MaxResults = 3 });
        Assert.That(first.Items.Select(m => m.Name), Is.EqualTo(new[] { "Sales-C", "other", "sales-a" }));
        Assert.That(first.NextPageToken, Is.EqualTo("eyJvZmZzZXQiOiAzfQ=="), "base64 of {\"offset\": 3}");
        var second = await registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { MaxResults = 3, PageToken = first.NextPageToken });
        Assert.That(second.Items.Select(m => m.Name), Is.EqualTo(new[] { "sales-b" }));
        Assert.That(second.NextPageToken, Is.Null);
        Assert.That(await CodeOf(() => registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { MaxResults = 1001 })), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { MaxResults = 0 })), Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(await CodeOf(() => registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { PageToken = "not a token" })), Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Model_versions_filter_on_name_run_source_number_and_tags()
    {
        Assert.That(await Versions(null), Is.EqualTo(new[] { "sales-b/1", "sales-a/3", "sales-a/2", "sales-a/1" }), "default: last updated first");
        Assert.That(await Versions("name = 'sales-a' AND version_number > 1"), Is.EqualTo(new[] { "sales-a/3", "sales-a/2" }));
        Assert.That(await Versions("version_number <= 1"), Is.EqualTo(new[] { "sales-b/1", "sales-a/1" }));
        Assert.That(await Versions("run_id IN ('bbbb', 'cccc')"), Is.EqualTo(new[] { "sales-a/3" }));
        Assert.That(await Versions("run_id = 'aaaa'"), Is.EqualTo(new[] { "sales-a/2", "sales-a/1" }));
        Assert.That(await Versions("run_id != 'aaaa'"), Is.EqualTo(new[] { "sales-a/3" }), "a version without a run id fails != too");
        Assert.That(await Versions("source_path LIKE 's3://%/2'"), Is.EqualTo(new[] { "sales-a/2" }));
        Assert.That(await Versions("tags.validated = 'yes'"), Is.EqualTo(new[] { "sales-a/2" }));
        Assert.That(await Versions("name IN ('sales-b')"), Is.EqualTo(new[] { "sales-b/1" }));
    }

    [Test]
    public async Task Model_versions_order_by_with_name_then_version_desc_as_tie_breakers()
    {
        Assert.That(await Versions(null, "version_number ASC"), Is.EqualTo(new[] { "sales-a/1", "sales-b/1", "sales-a/2", "sales-a/3" }));
        Assert.That(await Versions(null, "name DESC"), Is.EqualTo(new[] { "sales-b/1", "sales-a/3", "sales-a/2", "sales-a/1" }));
        Assert.That(await Versions(null, "creation_timestamp"), Is.EqualTo(new[] { "sales-a/1", "sales-a/2", "sales-a/3", "sales-b/1" }));
    }

    [TestCase("current_stage = 'Production'")]
    [TestCase("run_id NOT IN ('a')")]
    [TestCase("version_number = '1'")]
    [TestCase("params.x = 'a'")]
    [TestCase("name = 'a';")]
    public async Task Model_version_filters_outside_the_grammar_are_invalid_parameters(string filter) =>
        Assert.That(await CodeOf(() => registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = filter })), Is.EqualTo(ErrorCode.InvalidParameterValue));

    [Test]
    public async Task Model_versions_page_and_skip_deleted_versions()
    {
        await registry.DeleteModelVersionAsync("sales-a", 2);
        var pages = new List<string>();
        string? token = null;
        do
        {
            var page = await registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { MaxResults = 1, PageToken = token, OrderBy = ["version_number DESC"] });
            pages.AddRange(page.Items.Select(v => $"{v.Name}/{v.Version}"));
            token = page.NextPageToken;
        }
        while (token is not null);
        Assert.That(pages, Is.EqualTo(new[] { "sales-a/3", "sales-a/1", "sales-b/1" }));
        Assert.That(await CodeOf(() => registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { MaxResults = 200_001 })), Is.EqualTo(ErrorCode.InvalidParameterValue));
    }
}
