using static MlWorkflow.Server.Tests.MlflowAssert;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Server.Tests.Contract;

/// <summary>Registered-model and model-version search: filters, ordering, paging, limits.</summary>
public abstract partial class ModelRegistryStoreContract
{
    [Test]
    public async Task Model_search_filters_by_name_and_tag_and_orders()
    {
        await Registry.CreateRegisteredModelAsync("sales-eu", [new RegisteredModelTag("team", "a")]);
        await Registry.CreateRegisteredModelAsync("sales-us", [new RegisteredModelTag("team", "b")]);
        await Registry.CreateRegisteredModelAsync("churn", [new RegisteredModelTag("team", "a")]);

        var byName = await Registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { Filter = "name LIKE 'sales-%'", OrderBy = ["name DESC"] });
        var byTag = await Registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { Filter = "tags.team = 'a'" });
        var all = await Registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest());

        Assert.That(byName.Items.Select(m => m.Name), Is.EqualTo(new[] { "sales-us", "sales-eu" }));
        Assert.That(byTag.Items.Select(m => m.Name), Is.EqualTo(new[] { "churn", "sales-eu" }));
        Assert.That(all.Items.Select(m => m.Name), Is.EqualTo(new[] { "churn", "sales-eu", "sales-us" }));
        Assert.That(all.NextPageToken, Is.Null);
    }

    [Test]
    public async Task Model_search_pages_with_a_token_until_the_last_page()
    {
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await Registry.CreateRegisteredModelAsync(name);
        }

        var names = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await Registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { MaxResults = 2, PageToken = token });
            names.AddRange(page.Items.Select(m => m.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.That(names, Is.EqualTo(new[] { "a", "b", "c", "d", "e" }));
        Assert.That(pages, Is.EqualTo(3));
    }

    [Test]
    public async Task Model_search_errors_are_invalid_parameter()
    {
        await Registry.CreateRegisteredModelAsync("m");

        Assert.That((await Fails(() => Registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { MaxResults = 1001 }))).ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Fails(() => Registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { Filter = "name ~ 'x'" }))).ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Fails(() => Registry.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { PageToken = "not-a-token" }))).ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Version_search_filters_orders_pages_and_skips_deleted_versions()
    {
        await Registry.CreateRegisteredModelAsync("m");
        await Registry.CreateRegisteredModelAsync("other");
        for (var i = 0; i < 4; i++)
        {
            await NewVersionAsync("m", i % 2 == 0 ? RunA : RunB);
        }

        await NewVersionAsync("other", RunA);
        await Registry.SetModelVersionTagAsync("m", 3, new ModelVersionTag("validated", "yes"));
        await Registry.DeleteModelVersionAsync("m", 4);

        var newer = await Registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = "name = 'm' AND version_number > 1", OrderBy = ["version_number ASC"] });
        var byRun = await Registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = $"run_id IN ('{RunB}')", OrderBy = ["version_number DESC"] });
        var byTag = await Registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = "tags.validated = 'yes'" });
        var firstPage = await Registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { MaxResults = 3, OrderBy = ["name ASC", "version_number ASC"] });
        var secondPage = await Registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { MaxResults = 3, OrderBy = ["name ASC", "version_number ASC"], PageToken = firstPage.NextPageToken });

        Assert.That(newer.Items.Select(v => v.Version), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(byRun.Items.Select(v => (v.Name, v.Version)), Is.EqualTo(new[] { ("m", 2) }));
        Assert.That(byTag.Items.Select(v => v.Version), Is.EqualTo(new[] { 3 }));
        Assert.That(firstPage.Items.Select(v => (v.Name, v.Version)), Is.EqualTo(new[] { ("m", 1), ("m", 2), ("m", 3) }));
        Assert.That(firstPage.NextPageToken, Is.Not.Null);
        Assert.That(secondPage.Items.Select(v => (v.Name, v.Version)), Is.EqualTo(new[] { ("other", 1) }));
        Assert.That(secondPage.NextPageToken, Is.Null);
    }

    [Test]
    public async Task Version_search_errors_are_invalid_parameter()
    {
        Assert.That((await Fails(() => Registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { MaxResults = 200_001 }))).ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Fails(() => Registry.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = "current_stage = 'Production'" }))).ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }
}
