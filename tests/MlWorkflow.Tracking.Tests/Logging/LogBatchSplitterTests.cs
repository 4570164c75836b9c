using MlWorkflow.Tracking.Logging;

namespace MlWorkflow.Tracking.Tests.Logging;

public class LogBatchSplitterTests
{
    [Test]
    public void Empty_input_sends_nothing() =>
        Assert.That(LogBatchSplitter.Split([], [], []), Is.Empty);

    [Test]
    public void Params_and_tags_go_in_pairs_of_hundreds_topped_up_with_metrics()
    {
        var metrics = Metrics(2500);
        var parameters = Enumerable.Range(0, 150).Select(i => new Param($"p{i}", "v")).ToArray();
        var tags = Enumerable.Range(0, 30).Select(i => new RunTag($"t{i}", "v")).ToArray();

        var batches = LogBatchSplitter.Split(metrics, parameters, tags).ToArray();

        // Pair 1: 100 params + 30 tags + 870 metrics; pair 2: 50 params + 950 metrics; then 680 metrics.
        Assert.That(batches.Select(b => (b.Params.Count, b.Tags.Count, b.Metrics.Count)), Is.EqualTo(new[] { (100, 30, 870), (50, 0, 950), (0, 0, 680) }));
        Assert.That(batches.All(b => b.Count <= 1000), Is.True);
        Assert.That(batches.SelectMany(b => b.Metrics), Is.EqualTo(metrics), "metrics keep their order");
        Assert.That(batches.SelectMany(b => b.Params), Is.EqualTo(parameters));
    }

    [Test]
    public void Metrics_alone_go_in_thousands()
    {
        var batches = LogBatchSplitter.Split(Metrics(2001), [], []).ToArray();
        Assert.That(batches.Select(b => b.Metrics.Count), Is.EqualTo(new[] { 1000, 1000, 1 }));
    }

    private static Metric[] Metrics(int count) =>
        Enumerable.Range(0, count).Select(i => new Metric($"m{i % 7}", i, 1_700_000_000_000, i)).ToArray();
}
