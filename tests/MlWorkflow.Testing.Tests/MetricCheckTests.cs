using MlWorkflow.Evaluation;
using MlWorkflow.Testing.Fixtures;
using MlWorkflow.Testing.Metrics;
using MlWorkflow.Tracking;

namespace MlWorkflow.Testing.Tests;

public sealed class MetricCheckTests
{
    private static readonly MetricSet Metrics = new([KeyValuePair.Create("rmse", 0.35), KeyValuePair.Create("r2", 0.9)]);

    [Test]
    public void A_metric_within_its_bound_passes()
    {
        var result = MetricCheck.That(Metrics).Metric("rmse").LessThan(0.4);
        Assert.That(result.Passed, Is.True);
        Assert.That(result.Message, Is.EqualTo("Metric 'rmse' of the result: expected less than 0.4 and was 0.35."));
        Assert.DoesNotThrow(result.ThrowIfFailed);
        Assert.That(MetricCheck.That(Metrics).Metric("r2").AtLeast(0.9).Passed, Is.True, "at least is inclusive");
        Assert.That(MetricCheck.That(Metrics).Metric("r2").InRange(0.8, 1).Passed, Is.True);
    }

    [Test]
    public void A_metric_out_of_its_bound_fails_with_both_values()
    {
        var result = MetricCheck.That(Metrics).Metric("rmse").LessThan(0.2);
        Assert.That(result.Passed, Is.False);
        var thrown = Assert.Throws<ModelAssertionException>(result.ThrowIfFailed);
        Assert.That(thrown.Message, Is.EqualTo("Metric 'rmse' of the result: expected less than 0.2 but was 0.35."));
        Assert.That(MetricCheck.That(Metrics).Metric("r2").GreaterThan(0.9).Message, Is.EqualTo("Metric 'r2' of the result: expected greater than 0.9 but was 0.9."));
    }

    [Test]
    public void A_missing_metric_fails_and_lists_those_there_are()
    {
        var result = MetricCheck.That(Metrics).Metric("auc").AtLeast(0.5);
        Assert.That(result.Passed, Is.False);
        Assert.That(result.Message, Is.EqualTo("Metric 'auc' of the result: expected at least 0.5 but it is missing; there are: r2, rmse."));
    }

    [Test]
    public async Task A_run_by_id_names_the_run_and_the_data_sets_digest()
    {
        await using var store = TemporaryTrackingStore.Create();
        string runId;
        await using (var run = await store.Client.StartRunAsync())
        {
            runId = run.RunId;
            await store.Client.LogMetricAsync(runId, "rmse", 0.35);
            await store.Client.LogInputsAsync(runId, [new DatasetInput(new Dataset("cars", "d1g35t", "local", """{"uri": "cars.csv"}"""))]);
        }

        var subject = await MetricCheck.ThatRunAsync(store.Client, runId);
        var result = subject.Metric("rmse").LessThan(0.2);
        Assert.That(result.Passed, Is.False);
        Assert.That(result.Message, Is.EqualTo($"Metric 'rmse' of run '{runId}' (data set digest 'd1g35t'): expected less than 0.2 but was 0.35."));
        Assert.That(subject.Metric("rmse").AtMost(0.35).Passed, Is.True);
    }
}
