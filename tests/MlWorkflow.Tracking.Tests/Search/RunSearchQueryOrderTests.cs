using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Tests.Search;

public class RunSearchQueryOrderTests
{
    private static string[] Sort(IEnumerable<RunSearchView> runs, params string[] orderBy)
    {
        var list = runs.ToList();
        list.Sort(RunSearchQuery.Parse(null, orderBy).Comparer);
        return list.Select(r => r.Info.RunId).ToArray();
    }

    [Test]
    public void The_base_order_is_newest_start_first_then_run_id()
    {
        var runs = new[]
        {
            new TestRun("b", 100).Build(),
            new TestRun("c", 300).Build(),
            new TestRun("a", 100).Build(),
            new TestRun("d", 200).Build(),
        };
        Assert.That(Sort(runs), Is.EqualTo(new[] { "c", "d", "a", "b" }));
    }

    [Test]
    public void Metrics_sort_numerically_with_missing_and_nan_last_both_ways()
    {
        var runs = new[]
        {
            new TestRun("nan", 500).Metric("m", double.NaN).Build(),
            new TestRun("ten", 100).Metric("m", 10).Build(),
            new TestRun("none", 600).Build(),
            new TestRun("two", 200).Metric("m", 2).Build(),
            new TestRun("minus", 300).Metric("m", -1).Build(),
            new TestRun("inf", 400).Metric("m", double.PositiveInfinity).Build(),
        };
        Assert.That(Sort(runs, "metrics.m"), Is.EqualTo(new[] { "minus", "two", "ten", "inf", "none", "nan" }));
        Assert.That(Sort(runs, "metrics.m DESC"), Is.EqualTo(new[] { "inf", "ten", "two", "minus", "none", "nan" }));
    }

    [Test]
    public void Params_and_tags_sort_as_ordinal_strings_with_missing_last()
    {
        var runs = new[]
        {
            new TestRun("r9", 1).Param("p", "9").Tag("t", "b").Build(),
            new TestRun("r10", 2).Param("p", "10").Tag("t", "B").Build(),
            new TestRun("rnone", 3).Build(),
            new TestRun("ra", 4).Param("p", "a").Tag("t", "a").Build(),
        };
        Assert.That(Sort(runs, "params.p"), Is.EqualTo(new[] { "r10", "r9", "ra", "rnone" }));
        Assert.That(Sort(runs, "params.p DESC"), Is.EqualTo(new[] { "ra", "r9", "r10", "rnone" }));
        Assert.That(Sort(runs, "tags.t ASC"), Is.EqualTo(new[] { "r10", "ra", "r9", "rnone" }));
    }

    [Test]
    public void Several_keys_apply_left_to_right_and_ties_fall_back_to_the_base_order()
    {
        var runs = new[]
        {
            new TestRun("a1", 10).Param("group", "a").Metric("score", 1).Build(),
            new TestRun("a2", 20).Param("group", "a").Metric("score", 2).Build(),
            new TestRun("b1", 30).Param("group", "b").Metric("score", 1).Build(),
            new TestRun("b1bis", 40).Param("group", "b").Metric("score", 1).Build(),
            new TestRun("b1ter", 40).Param("group", "b").Metric("score", 1).Build(),
        };
        Assert.That(
            Sort(runs, "params.group DESC", "metrics.score ASC"),
            Is.EqualTo(new[] { "b1bis", "b1ter", "b1", "a1", "a2" }));
        Assert.That(
            Sort(runs, "metrics.score DESC", "params.group"),
            Is.EqualTo(new[] { "a2", "a1", "b1bis", "b1ter", "b1" }));
    }

    [Test]
    public void Attributes_sort_by_type_and_a_missing_end_time_sorts_last()
    {
        var runs = new[]
        {
            new TestRun("x", 1) { EndTime = 50, RunName = "beta", Status = RunStatus.Failed }.Build(),
            new TestRun("y", 2) { EndTime = null, RunName = "alpha", Status = RunStatus.Running }.Build(),
            new TestRun("z", 3) { EndTime = 40, RunName = "Gamma", Status = RunStatus.Finished }.Build(),
        };
        Assert.That(Sort(runs, "end_time"), Is.EqualTo(new[] { "z", "x", "y" }));
        Assert.That(Sort(runs, "end_time DESC"), Is.EqualTo(new[] { "x", "z", "y" }));
        Assert.That(Sort(runs, "run_name"), Is.EqualTo(new[] { "z", "y", "x" }));
        Assert.That(Sort(runs, "attributes.status"), Is.EqualTo(new[] { "x", "z", "y" }));
        Assert.That(Sort(runs, "start_time ASC"), Is.EqualTo(new[] { "x", "y", "z" }));
        Assert.That(Sort(runs, "created DESC"), Is.EqualTo(new[] { "z", "y", "x" }));
        Assert.That(Sort(runs, "run_id DESC"), Is.EqualTo(new[] { "z", "y", "x" }));
    }

    [TestCase]
    [TestCase("metrics.m")]
    [TestCase("metrics.m DESC", "params.p")]
    [TestCase("params.p DESC", "tags.t", "metrics.m")]
    [TestCase("end_time", "run_name DESC")]
    [TestCase("status", "start_time ASC")]
    [TestCase("tags.t DESC", "run_id DESC")]
    public void Sort_gives_the_comparers_order(params string[] orderBy)
    {
        var random = new Random(7);
        var runs = Enumerable.Range(0, 300).Select(i =>
        {
            var run = new TestRun(random.Next(50).ToString("x32") + i, random.Next(20))
            {
                EndTime = random.Next(3) == 0 ? null : random.Next(20),
                RunName = "n" + random.Next(5),
                Status = (RunStatus)random.Next(1, 6),
            };
            var roll = random.Next(6);
            if (roll > 0)
            {
                run.Metric("m", roll == 1 ? double.NaN : random.Next(10) / 2.0);
            }

            if (random.Next(4) > 0)
            {
                run.Param("p", "v" + random.Next(8));
            }

            if (random.Next(4) > 0)
            {
                run.Tag("t", random.Next(2) == 0 ? "x" : "Y");
            }

            return run.Build();
        }).ToList();
        var query = RunSearchQuery.Parse(null, orderBy);
        var expected = runs.ToList();
        expected.Sort(query.Comparer);
        var actual = runs.ToList();
        query.Sort(actual);
        Assert.That(actual.Select(r => r.Info.RunId), Is.EqualTo(expected.Select(r => r.Info.RunId)));
    }
}
