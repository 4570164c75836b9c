using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Search;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>Run and experiment search on a real store: same results as a plain scan, paging, and a cache that notices every change.</summary>
public class FileStoreSearchTests : TempStoreFixture
{
    private const long T0 = 1_700_000_000_000;
    private FileTrackingStore _store = null!;
    private string _experimentId = null!;
    private List<string> _runIds = null!;

    [TearDown]
    public void CloseStore() => _store.Dispose();

    [SetUp]
    public async Task CreateRuns()
    {
        _store = OpenStore();
        _experimentId = await _store.CreateExperimentAsync("search");
        _runIds = [];
        for (var i = 0; i < 30; i++)
        {
            var run = await _store.CreateRunAsync(new CreateRunRequest { ExperimentId = _experimentId, RunName = $"run-{i:00}", StartTime = T0 + (i % 7) });
            _runIds.Add(run.Info.RunId);
            var metrics = new List<Metric> { new("m0", (i % 10) / 10.0, T0, 0), new("m1", i, T0, 0) };
            if (i % 5 == 0)
            {
                metrics.Add(new Metric("m1", double.NaN, T0, 1));
            }

            await _store.LogBatchAsync(run.Info.RunId, metrics, [new Param("p0", i % 2 == 0 ? "v1" : "v2")], i % 3 == 0 ? [new RunTag("t0", "x")] : [new RunTag("t0", "y")]);
        }

        await _store.DeleteRunAsync(_runIds[4]);
    }

    private async Task<List<Run>> ScanAsync(string filter, IReadOnlyList<string> orderBy, ViewType viewType = ViewType.ActiveOnly)
    {
        var query = RunSearchQuery.Parse(filter, orderBy);
        var runs = new List<RunSearchView>();
        foreach (var id in _runIds)
        {
            var run = await OpenStore().GetRunAsync(id);
            var inView = viewType == ViewType.All || (run.Info.LifecycleStage == LifecycleStage.Active) == (viewType == ViewType.ActiveOnly);
            if (inView && query.Matches(new RunSearchView(run)))
            {
                runs.Add(new RunSearchView(run));
            }
        }

        runs.Sort(query.Comparer);
        return runs.Select(r => r.Run).ToList();
    }

    [TestCase("metrics.m0 < 0.5 and params.p0 = 'v1' and tags.t0 = 'x'", "metrics.m1 DESC")]
    [TestCase("", "")]
    [TestCase("attributes.run_name LIKE 'run-1%'", "params.p0 ASC")]
    [TestCase("metrics.m1 >= 3", "metrics.m1 ASC")]
    [TestCase("tags.t0 != 'x'", "attributes.start_time ASC")]
    public async Task Search_equals_a_plain_scan(string filter, string orderBy)
    {
        IReadOnlyList<string> order = orderBy.Length == 0 ? [] : [orderBy];
        var expected = await ScanAsync(filter, order);
        var found = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [_experimentId], Filter = filter, OrderBy = order });

        Assert.That(expected, Is.Not.Empty);
        Assert.That(found.Items.Select(r => r.Info.RunId), Is.EqualTo(expected.Select(r => r.Info.RunId)));
        Assert.That(found.Items, Is.EqualTo(expected).Using<Run>(SameRun));
    }

    [Test]
    public async Task Pages_cover_every_result_once()
    {
        var all = await ScanAsync("", [], ViewType.All);
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [_experimentId], MaxResults = 7, PageToken = token, RunViewType = ViewType.All });
            Assert.That(page.Items, Has.Count.LessThanOrEqualTo(7));
            seen.AddRange(page.Items.Select(r => r.Info.RunId));
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.That(seen, Is.EqualTo(all.Select(r => r.Info.RunId)));
        Assert.That(seen, Has.Count.EqualTo(30));
    }

    [Test]
    public async Task Deleted_runs_show_only_in_their_view()
    {
        var deleted = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [_experimentId], RunViewType = ViewType.DeletedOnly });
        var active = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [_experimentId] });

        Assert.That(deleted.Items.Select(r => r.Info.RunId), Is.EqualTo(new[] { _runIds[4] }));
        Assert.That(active.Items, Has.Count.EqualTo(29));
    }

    [Test]
    public async Task Several_experiments_are_searched_at_once()
    {
        var other = await _store.CreateExperimentAsync("other");
        var run = await _store.CreateRunAsync(new CreateRunRequest { ExperimentId = other, StartTime = T0 + 100 });

        var found = await _store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [_experimentId, other] });
        Assert.That(found.Items, Has.Count.EqualTo(30));
        Assert.That(found.Items[0].Info.RunId, Is.EqualTo(run.Info.RunId));
    }

    [Test]
    public async Task Warm_search_sees_writes_through_the_store_and_through_other_stores_at_once()
    {
        var request = new SearchRunsRequest { ExperimentIds = [_experimentId], Filter = "metrics.m0 < 0.5 and params.p0 = 'v1' and tags.t0 = 'x'", OrderBy = ["metrics.m1 DESC"] };
        var first = await _store.SearchRunsAsync(request);
        _store.SearchCacheRevalidationInterval = TimeSpan.MaxValue; // from now on only the change journals tell this store about other writers
        Assert.That((await _store.SearchRunsAsync(request)).Items.Select(r => r.Info.RunId), Is.EqualTo(first.Items.Select(r => r.Info.RunId)));

        // Through the store: a tag change takes a run out of the result.
        var leaving = first.Items[0].Info.RunId;
        await _store.LogBatchAsync(leaving, [], [], [new RunTag("t0", "gone")]);
        Assert.That((await _store.SearchRunsAsync(request)).Items.Select(r => r.Info.RunId), Does.Not.Contain(leaving));

        // Another store object (as another process would be): a metric appended, a tag changed, a run deleted.
        var other = OpenStore();
        var moving = first.Items[^1].Info.RunId;
        await other.LogBatchAsync(moving, [new Metric("m1", 1000, T0, 5)], [], []);
        var joining = _runIds[2];
        await other.LogBatchAsync(joining, [], [], [new RunTag("t0", "x")]);
        var vanishing = first.Items[1].Info.RunId;
        await other.DeleteRunAsync(vanishing);

        var expected = await ScanAsync(request.Filter!, request.OrderBy);
        var warm = await _store.SearchRunsAsync(request);
        Assert.That(warm.Items.Select(r => r.Info.RunId), Is.EqualTo(expected.Select(r => r.Info.RunId)));
        Assert.That(warm.Items[0].Info.RunId, Is.EqualTo(moving));
        Assert.That(warm.Items[0].Data.GetMetric("m1")!.Value, Is.EqualTo(1000));
        Assert.That(warm.Items.Select(r => r.Info.RunId), Does.Contain(joining).And.Not.Contain(vanishing));

        // A new run by another writer appears.
        var added = await other.CreateRunAsync(new CreateRunRequest { ExperimentId = _experimentId, StartTime = T0 });
        await other.LogBatchAsync(added.Info.RunId, [new Metric("m0", 0, T0), new Metric("m1", 2000, T0)], [new Param("p0", "v1")], [new RunTag("t0", "x")]);
        Assert.That((await _store.SearchRunsAsync(request)).Items[0].Info.RunId, Is.EqualTo(added.Info.RunId));
    }

    [Test]
    public async Task Warm_search_sees_in_place_writes_by_other_tools_when_it_revalidates()
    {
        var request = new SearchRunsRequest { ExperimentIds = [_experimentId], Filter = "tags.t0 = 'x'", OrderBy = ["metrics.m1 DESC"] };
        _store.SearchCacheRevalidationInterval = TimeSpan.Zero;
        var first = await _store.SearchRunsAsync(request);
        var runDirectory = Path.Combine(Root, _experimentId, _runIds[1]);

        // What MLflow's Python store does: a tag file rewritten in place, a metric line appended, meta.yaml replaced.
        System.IO.File.WriteAllText(Path.Combine(runDirectory, "tags", "t0"), "x");
        System.IO.File.AppendAllText(Path.Combine(runDirectory, "metrics", "m1"), $"{T0} 5000.0 9\n");
        var meta = Path.Combine(runDirectory, "meta.yaml");
        System.IO.File.WriteAllText(meta + ".new", System.IO.File.ReadAllText(meta).Replace("run_name: run-01", "run_name: renamed"));
        System.IO.File.Move(meta + ".new", meta, overwrite: true);

        var warm = await _store.SearchRunsAsync(request);
        Assert.That(warm.Items, Has.Count.EqualTo(first.Items.Count + 1));
        Assert.That(warm.Items[0].Info.RunId, Is.EqualTo(_runIds[1]));
        Assert.That(warm.Items[0].Info.RunName, Is.EqualTo("renamed"));
        Assert.That(warm.Items[0].Data.GetMetric("m1")!.Value, Is.EqualTo(5000));
    }

    [Test]
    public async Task A_watched_experiment_sees_in_place_writes_by_other_tools_through_its_watch()
    {
        var request = new SearchRunsRequest { ExperimentIds = [_experimentId], Filter = "tags.t0 = 'x'", OrderBy = ["metrics.m1 DESC"] };
        _store.SearchCacheWatchThreshold = 1;
        _store.SearchCacheRevalidationInterval = TimeSpan.Zero; // every search asks the watch (a barrier), never re-checks the files
        var first = await _store.SearchRunsAsync(request);
        Assert.That(await _store.SearchRunsAsync(request), Has.Property("Items").Count.EqualTo(first.Items.Count));
        var runDirectory = Path.Combine(Root, _experimentId, _runIds[1]);

        // What MLflow's Python store does: a tag file rewritten in place, a metric line appended, meta.yaml replaced.
        // The tag keeps its length and gets its old write time back: only the watch can notice this one.
        var tag = Path.Combine(runDirectory, "tags", "t0");
        var written = System.IO.File.GetLastWriteTimeUtc(tag);
        System.IO.File.WriteAllText(tag, "x");
        System.IO.File.SetLastWriteTimeUtc(tag, written);
        System.IO.File.AppendAllText(Path.Combine(runDirectory, "metrics", "m1"), $"{T0} 5000.0 9\n");
        var meta = Path.Combine(runDirectory, "meta.yaml");
        System.IO.File.WriteAllText(meta + ".new", System.IO.File.ReadAllText(meta).Replace("run_name: run-01", "run_name: renamed"));
        System.IO.File.Move(meta + ".new", meta, overwrite: true);

        var warm = await _store.SearchRunsAsync(request);
        Assert.That(warm.Items, Has.Count.EqualTo(first.Items.Count + 1));
        Assert.That(warm.Items[0].Info.RunId, Is.EqualTo(_runIds[1]));
        Assert.That(warm.Items[0].Info.RunName, Is.EqualTo("renamed"));
        Assert.That(warm.Items[0].Data.GetMetric("m1")!.Value, Is.EqualTo(5000));
        Assert.That(Directory.GetFiles(Path.Combine(Root, _experimentId), ".mlworkflow-barrier-*"), Is.Empty, "no marker file is left behind");
    }

    [Test]
    public async Task Experiment_search_filters_orders_and_pages()
    {
        await _store.CreateExperimentAsync("search-b", tags: [new ExperimentTag("team", "ml")]);
        await _store.CreateExperimentAsync("search-c", tags: [new ExperimentTag("team", "ml")]);
        var deleted = await _store.CreateExperimentAsync("search-d", tags: [new ExperimentTag("team", "ml")]);
        await _store.DeleteExperimentAsync(deleted);

        var page1 = await _store.SearchExperimentsAsync(new SearchExperimentsRequest { Filter = "name LIKE 'search-%' AND tags.team = 'ml'", OrderBy = ["name DESC"], MaxResults = 1 });
        var page2 = await _store.SearchExperimentsAsync(new SearchExperimentsRequest { Filter = "name LIKE 'search-%' AND tags.team = 'ml'", OrderBy = ["name DESC"], MaxResults = 1, PageToken = page1.NextPageToken });
        Assert.That(page1.Items.Single().Name, Is.EqualTo("search-c"));
        Assert.That(page2.Items.Single().Name, Is.EqualTo("search-b"));
        Assert.That(page2.NextPageToken, Is.Null);

        var all = await _store.SearchExperimentsAsync(new SearchExperimentsRequest { ViewType = ViewType.All, Filter = "tags.team = 'ml'" });
        Assert.That(all.Items, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Bad_search_arguments_are_invalid_parameter_values()
    {
        foreach (var request in new[]
        {
            new SearchRunsRequest { ExperimentIds = [_experimentId], Filter = "metrics.m0 < 'a'" },
            new SearchRunsRequest { ExperimentIds = [_experimentId], Filter = "metrics.m0 < 1 OR metrics.m1 > 2" },
            new SearchRunsRequest { ExperimentIds = [_experimentId], MaxResults = 0 },
            new SearchRunsRequest { ExperimentIds = [_experimentId], MaxResults = 50_001 },
            new SearchRunsRequest { ExperimentIds = [_experimentId], PageToken = "not-a-token" },
            new SearchRunsRequest(),
        })
        {
            var error = await Assert.ThrowsAsync<MlflowException>(() => _store.SearchRunsAsync(request));
            Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        }
    }

    private static bool SameRun(Run a, Run b) =>
        a.Info == b.Info
        && a.Data.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).SequenceEqual(b.Data.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        && a.Data.Params.OrderBy(m => m.Key, StringComparer.Ordinal).SequenceEqual(b.Data.Params.OrderBy(m => m.Key, StringComparer.Ordinal))
        && a.Data.Tags.OrderBy(m => m.Key, StringComparer.Ordinal).SequenceEqual(b.Data.Tags.OrderBy(m => m.Key, StringComparer.Ordinal))
        && a.Inputs.DatasetInputs.Count == b.Inputs.DatasetInputs.Count;
}
