using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Tests.Search;

public class RunSearchQueryAllocationTests
{
    [Test]
    public void Matching_and_comparing_allocate_nothing()
    {
        var runs = Enumerable.Range(0, 100)
            .Select(i => new TestRun(i.ToString("x32"), 1_000 + (i % 7)) { EndTime = i % 3 == 0 ? null : 5_000 }
                .Metric("m", i / 100.0)
                .Param("p", "v" + (i % 5))
                .Tag("t", i % 2 == 0 ? "x" : "y")
                .Dataset("iris", "d" + i, i % 4 == 0 ? "training" : null)
                .Build())
            .ToArray();
        var query = RunSearchQuery.Parse(
            "metrics.m < 0.9 and params.p LIKE 'v%' and tags.t ILIKE 'X' and run_id NOT IN ('a', 'b') and "
            + "dataset.context = 'training' and end_time > 10 and status != 'RUNNING' and run_name = 'run'",
            ["metrics.m DESC", "params.p", "tags.t", "end_time"]);
        var comparer = query.Comparer;
        var matched = Evaluate(query, comparer, runs); // warm up (JIT, lazy statics)

        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = Evaluate(query, comparer, runs);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(matched.Matched, Is.Positive);
        Assert.That(again, Is.EqualTo(matched));
        Assert.That(allocated, Is.Zero);
    }

    private static (int Matched, int Order) Evaluate(RunSearchQuery query, IComparer<IRunSearchView> comparer, RunSearchView[] runs)
    {
        var matched = 0;
        var order = 0;
        for (var i = 0; i < runs.Length; i++)
        {
            if (query.Matches(runs[i]))
            {
                matched++;
            }

            order += comparer.Compare(runs[i], runs[(i + 1) % runs.Length]);
        }

        return (matched, order);
    }
}
