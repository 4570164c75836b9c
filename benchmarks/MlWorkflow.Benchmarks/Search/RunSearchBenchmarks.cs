using System.Globalization;
using BenchmarkDotNet.Attributes;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Benchmarks.Search;

/// <summary>
/// The search engine alone, on 10,000 in-memory runs of 20 params, 10 metrics and 10 tags each (the shape of the
/// <c>tracking</c> suite's store): parsing, filtering, and filtering plus MLflow's ordering and the first page of 100.
/// </summary>
[MemoryDiagnoser]
public class RunSearchBenchmarks
{
    private const string Filter = "metrics.m0 < 0.5 and params.p0 = 'v1' and tags.t0 = 'x'";
    private const string LikeFilter = "params.p1 LIKE 'v%1' and tags.t1 ILIKE '%Y%' and attributes.status != 'FAILED'";
    private static readonly string[] OrderBy = ["metrics.m1 DESC"];

    private RunSearchView[] runs = [];
    private RunSearchQuery query = null!;
    private RunSearchQuery likeQuery = null!;

    /// <summary>Builds the runs and parses the queries once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        runs = new RunSearchView[10_000];
        for (var i = 0; i < runs.Length; i++)
        {
            var id = i.ToString("x32", CultureInfo.InvariantCulture);
            var metrics = Enumerable.Range(0, 10).Select(k => new Metric($"m{k}", random.NextDouble(), 1_700_000_000_000 + i, 0)).ToArray();
            var parameters = Enumerable.Range(0, 20).Select(k => new Param($"p{k}", $"v{random.Next(10)}")).ToArray();
            var tags = Enumerable.Range(0, 10).Select(k => new RunTag($"t{k}", random.Next(2) == 0 ? "x" : "y")).ToArray();
            var info = new RunInfo(id, "1", $"run-{i}", "bench", RunStatus.Finished, 1_700_000_000_000 + i, null, $"file:///mlruns/1/{id}/artifacts", LifecycleStage.Active);
            runs[i] = new RunSearchView(new Run(info, new RunData(metrics, parameters, tags), RunInputs.Empty));
        }

        query = RunSearchQuery.Parse(Filter, OrderBy);
        likeQuery = RunSearchQuery.Parse(LikeFilter, OrderBy);
    }

    /// <summary>Parses the filter and order_by of the <c>tracking</c> suite's search.</summary>
    [Benchmark]
    public int Parse() => RunSearchQuery.Parse(Filter, OrderBy).MetricKeys.Count;

    /// <summary>Counts the runs that pass the filter (metric, param and tag equality).</summary>
    [Benchmark]
    public int FilterOnly() => Count(query);

    /// <summary>Counts the runs that pass LIKE / ILIKE / attribute clauses.</summary>
    [Benchmark]
    public int FilterOnlyLike() => Count(likeQuery);

    /// <summary>Filters, sorts by <c>metrics.m1 DESC</c> (then MLflow's base order) and takes the first page of 100.</summary>
    [Benchmark]
    public int FilterSortPage() => Search(query);

    /// <summary>Sorts all 10,000 runs by <c>metrics.m1 DESC</c> with <c>List.Sort(Comparer)</c> and takes the first page.</summary>
    [Benchmark]
    public int SortAllWithComparerPage() => Search(RunSearchQuery.Parse(null, OrderBy), useComparer: true);

    /// <summary>Sorts all 10,000 runs by <c>metrics.m1 DESC</c> with <see cref="RunSearchQuery.Sort{T}"/> and takes the first page.</summary>
    [Benchmark]
    public int SortAllPage() => Search(RunSearchQuery.Parse(null, OrderBy));

    private int Count(RunSearchQuery search)
    {
        var count = 0;
        foreach (var run in runs)
        {
            if (search.Matches(run))
            {
                count++;
            }
        }

        return count;
    }

    private int Search(RunSearchQuery search, bool useComparer = false)
    {
        var matched = new List<IRunSearchView>();
        foreach (var run in runs)
        {
            if (search.Matches(run))
            {
                matched.Add(run);
            }
        }

        if (useComparer)
        {
            matched.Sort(search.Comparer);
        }
        else
        {
            search.Sort(matched);
        }

        return SearchPageToken.Page(matched, 100, null).Items.Count;
    }
}
