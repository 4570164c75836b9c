using static MlWorkflow.Server.Tests.MlflowAssert;
namespace MlWorkflow.Server.Tests.Contract;

/// <summary>Run search: filters, ordering, paging and errors.</summary>
public abstract partial class TrackingStoreContract
{
    /// <summary>The code a param conflict in <c>log-batch</c> fails with (the same through the server as directly).</summary>
    protected virtual ErrorCode ParamConflictCode => ErrorCode.InvalidParameterValue;

    private async Task<(string ExperimentId, string[] RunIds)> SeedRunsAsync()
    {
        var experimentId = await Store.CreateExperimentAsync("search");
        var ids = new string[5];
        for (var i = 0; i < 5; i++)
        {
            var run = await Store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, RunName = "r" + i, StartTime = T0 + i });
            ids[i] = run.Info.RunId;
            await Store.LogBatchAsync(run.Info.RunId, [new Metric("rmse", 0.1 * (5 - i), T0)], [new Param("depth", i.ToString(System.Globalization.CultureInfo.InvariantCulture))], [new RunTag("model", i % 2 == 0 ? "forest" : "linear")]);
        }

        return (experimentId, ids);
    }

    [Test]
    public async Task Run_search_filters_on_metrics_params_and_tags()
    {
        var (experimentId, ids) = await SeedRunsAsync();

        var byMetric = await Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId], Filter = "metrics.rmse < 0.25" });
        var byParamAndTag = await Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId], Filter = "params.depth = '2' and tags.model = 'forest'" });

        Assert.That(byMetric.Items.Select(r => r.Info.RunId), Is.EquivalentTo(new[] { ids[3], ids[4] }));
        Assert.That(byParamAndTag.Items.Select(r => r.Info.RunId), Is.EqualTo(new[] { ids[2] }));
    }

    [Test]
    public async Task Run_search_orders_by_start_time_descending_by_default()
    {
        var (experimentId, ids) = await SeedRunsAsync();

        var page = await Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId] });

        Assert.That(page.Items.Select(r => r.Info.RunId), Is.EqualTo(ids.Reverse()));
    }

    [Test]
    public async Task Run_search_orders_by_metric_and_pages_through_every_run()
    {
        var (experimentId, ids) = await SeedRunsAsync();

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId], OrderBy = ["metrics.rmse ASC"], MaxResults = 2, PageToken = token });
            seen.AddRange(page.Items.Select(r => r.Info.RunId));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.That(seen, Is.EqualTo(ids.Reverse()));
        Assert.That(pages, Is.EqualTo(3));
    }

    [Test]
    public async Task Run_search_returns_latest_metrics_params_and_tags()
    {
        var (experimentId, ids) = await SeedRunsAsync();

        var page = await Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId], Filter = "attributes.run_name = 'r1'" });

        Assert.That(page.Items, Has.Count.EqualTo(1));
        Assert.That(page.Items[0].Info.RunId, Is.EqualTo(ids[1]));
        Assert.That(page.Items[0].Data.GetMetric("rmse")!.Value, Is.EqualTo(0.4).Within(1e-12));
        Assert.That(page.Items[0].Data.GetParam("depth"), Is.EqualTo("1"));
        Assert.That(page.Items[0].Data.GetTag("model"), Is.EqualTo("linear"));
    }

    [Test]
    public async Task Run_search_with_a_bad_filter_is_invalid_parameter()
    {
        var (experimentId, _) = await SeedRunsAsync();

        var error = await Fails(() => Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId], Filter = "metrics.rmse <<< 1" }));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Run_search_over_the_page_limit_is_invalid_parameter()
    {
        var experimentId = await Store.CreateExperimentAsync("limits");

        var error = await Fails(() => Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId], MaxResults = SearchRunsRequest.MaxResultsLimit + 1 }));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Run_search_spans_several_experiments()
    {
        var (first, run1) = await NewRunAsync(experimentName: "one");
        var (second, run2) = await NewRunAsync(experimentName: "two");

        var page = await Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [first, second] });

        Assert.That(page.Items.Select(r => r.Info.RunId), Is.EquivalentTo(new[] { run1.Info.RunId, run2.Info.RunId }));
    }

    [Test]
    public async Task Run_search_of_an_experiment_that_does_not_exist_is_not_found_even_beside_one_with_runs()
    {
        var (experimentId, ids) = await SeedRunsAsync();
        var empty = await Store.CreateExperimentAsync("no-runs");

        var beside = await Fails(() => Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId, "987654321"] }));
        var alone = await Fails(() => Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = ["987654321"] }));
        var withEmpty = await Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId, empty] });
        var onlyEmpty = await Store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [empty] });

        Assert.That(beside.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(beside.Message, Does.Contain("987654321"));
        Assert.That(alone.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(withEmpty.Items.Select(r => r.Info.RunId), Is.EquivalentTo(ids));
        Assert.That(onlyEmpty.Items, Is.Empty);
    }
}
