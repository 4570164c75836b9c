using Microsoft.Data.Sqlite;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Search;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests;

/// <summary>
/// The registry searches in SQL give exactly what MLflow's grammar evaluated over every model and version gives (the
/// in-memory matcher and order the file store uses): filters of every kind, order_by with ties, page after page.
/// </summary>
public abstract class SqlRegistrySearchContract
{
    private static readonly string[] ModelFilters =
    [
        "", "name = 'Sales-a'", "name != 'Sales-a'", "name LIKE 'sales-%'", "name ILIKE 'sales-%'", "name LIKE '%_b%'",
        "tags.team = 'a'", "tags.team != 'a'", "tags.team LIKE '%'", "tags.empty = ''", "tags.team = 'a' AND name ILIKE '%C%'",
        "tags.team = 'b' AND tags.tier = 'gold'", "tags.missing = 'x'",
    ];

    private static readonly string[][] ModelOrders =
    [
        [], ["name DESC"], ["creation_timestamp ASC"], ["last_updated_timestamp DESC"], ["creation_timestamp DESC", "name DESC"],
    ];

    private static readonly string[] VersionFilters =
    [
        "", "name = 'Sales-a'", "name IN ('Sales-a', 'zeta')", "version_number > 2", "version_number <= 2 AND name LIKE 'S%'",
        "run_id = 'run1'", "run_id != 'run1'", "run_id IN ('run1', 'run2')", "source_path LIKE '%/2'", "source_path LIKE 's3:%'",
        "tags.ok = 'yes'", "tags.ok != 'yes' AND version_number >= 1", "name ILIKE 'sales%' AND tags.ok LIKE 'y%'",
    ];

    private static readonly string[][] VersionOrders =
    [
        [], ["version_number ASC"], ["name DESC"], ["creation_timestamp ASC", "version_number ASC"], ["last_updated_timestamp ASC"],
    ];

    private TemporaryDirectory _directory = null!;
    private SqlModelRegistryStore _store = null!;
    private readonly List<string> _names = [];

    protected string Root => _directory.Path;

    protected abstract string CreateDatabaseUri();

    [SetUp]
    public async Task BuildRegistry()
    {
        _directory = new TemporaryDirectory();
        _names.Clear();
        _store = new SqlModelRegistryStore(CreateDatabaseUri(), new SqlStoreOptions { TimeProvider = new SteppingClock() });
        var random = new Random(3);
        foreach (var name in new[] { "Sales-a", "sales-b", "sales-c", "Sales_bx", "zeta", "alpha", "Beta", "gamma", "Delta", "epsilon", "sales-ü", "omega" })
        {
            _names.Add(name);
            var tags = new List<RegisteredModelTag>();
            if (random.Next(4) > 0)
            {
                tags.Add(new RegisteredModelTag("team", random.Next(2) == 0 ? "a" : "b"));
            }

            if (random.Next(2) == 0)
            {
                tags.Add(new RegisteredModelTag("tier", random.Next(2) == 0 ? "gold" : "silver"));
            }

            if (random.Next(3) == 0)
            {
                tags.Add(new RegisteredModelTag("empty", string.Empty));
            }

            await _store.CreateRegisteredModelAsync(name, tags);
            var versions = random.Next(0, 5);
            for (var v = 1; v <= versions; v++)
            {
                var runId = random.Next(3) switch { 0 => null, 1 => "run1", _ => "run2" };
                var source = random.Next(5) == 0 ? $"s3://bucket/{name}" : $"file:///models/{name}/{v}";
                var versionTags = random.Next(3) == 0 ? Array.Empty<ModelVersionTag>() : [new ModelVersionTag("ok", random.Next(2) == 0 ? "yes" : "no")];
                await _store.CreateModelVersionAsync(new CreateModelVersionRequest(name, source) { RunId = runId, Tags = versionTags });
            }

            if (versions >= 2 && random.Next(2) == 0)
            {
                await _store.DeleteModelVersionAsync(name, 1);
            }

            if (random.Next(3) == 0)
            {
                await _store.UpdateRegisteredModelAsync(name, "touched");
            }
        }
    }

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Test]
    public async Task Registered_model_searches_equal_the_grammar_evaluated_over_every_model_on_every_page()
    {
        var all = new List<RegisteredModel>();
        foreach (var name in _names)
        {
            all.Add(await _store.GetRegisteredModelAsync(name));
        }

        foreach (var filter in ModelFilters)
        {
            foreach (var order in ModelOrders)
            {
                var query = RegisteredModelSearchQuery.Parse(filter, order);
                var expected = all.Where(query.Matches).Order(query.Comparer).Select(m => m.Name).ToList();
                var pages = new List<string>();
                string? token = null;
                do
                {
                    var page = await _store.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { Filter = filter, OrderBy = order, MaxResults = 3, PageToken = token });
                    pages.AddRange(page.Items.Select(m => m.Name));
                    token = page.NextPageToken;
                }
                while (token is not null);

                Assert.That(pages, Is.EqualTo(expected), $"filter \"{filter}\", order by [{string.Join(", ", order)}]");
            }
        }

        var whole = await _store.SearchRegisteredModelsAsync(new SearchRegisteredModelsRequest { Filter = "name = 'Sales-a'" });
        Assert.That(whole.Items.Single(), Is.EqualTo(all.Single(m => m.Name == "Sales-a")).Using<RegisteredModel>(SameModel), "a found model is read whole");
    }

    [Test]
    public async Task Model_version_searches_equal_the_grammar_evaluated_over_every_live_version_on_every_page()
    {
        var all = new List<ModelVersion>();
        foreach (var name in _names)
        {
            for (var v = 1; v <= 4; v++)
            {
                try
                {
                    all.Add(await _store.GetModelVersionAsync(name, v));
                }
                catch (MlflowException error) when (error.ErrorCode == ErrorCode.ResourceDoesNotExist)
                {
                    // never created, or deleted
                }
            }
        }

        Assert.That(all, Has.Count.GreaterThan(10), "the registry has versions to search");
        foreach (var filter in VersionFilters)
        {
            foreach (var order in VersionOrders)
            {
                var query = ModelVersionSearchQuery.Parse(filter, order);
                var expected = all.Where(query.Matches).Order(query.Comparer).Select(v => (v.Name, v.Version)).ToList();
                var pages = new List<(string, int)>();
                string? token = null;
                do
                {
                    var page = await _store.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = filter, OrderBy = order, MaxResults = 4, PageToken = token });
                    pages.AddRange(page.Items.Select(v => (v.Name, v.Version)));
                    token = page.NextPageToken;
                }
                while (token is not null);

                Assert.That(pages, Is.EqualTo(expected), $"filter \"{filter}\", order by [{string.Join(", ", order)}]");
            }
        }

        var tagged = (await _store.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = "tags.ok = 'yes'" })).Items;
        Assert.That(tagged, Is.Not.Empty);
        Assert.That(tagged.Select(v => (v.Tags.Single().Key, v.Tags.Single().Value)).Distinct(), Is.EqualTo(new[] { ("ok", "yes") }), "a found version is read with its tags");
    }

    private static bool SameModel(RegisteredModel x, RegisteredModel y) =>
        x.Name == y.Name && x.CreationTimestamp == y.CreationTimestamp && x.LastUpdatedTimestamp == y.LastUpdatedTimestamp && x.Description == y.Description
        && x.Tags.Select(t => (t.Key, t.Value)).SequenceEqual(y.Tags.Select(t => (t.Key, t.Value)))
        && x.LatestVersions.Select(v => (v.Version, v.CurrentStage)).SequenceEqual(y.LatestVersions.Select(v => (v.Version, v.CurrentStage)));

    /// <summary>A clock that moves 0 to 2 ms per reading, so that timestamps tie often and the tie-breakers decide.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _now = 1_700_000_000_000;
        private int _reads;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(_now += (Interlocked.Increment(ref _reads) % 3));
    }
}
