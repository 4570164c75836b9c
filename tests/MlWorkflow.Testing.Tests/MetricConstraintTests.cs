using MlWorkflow.Evaluation;
using MlWorkflow.Testing.Fixtures;
using MlWorkflow.Testing.NUnit;

namespace MlWorkflow.Testing.Tests;

public sealed class MetricConstraintTests
{
    private static readonly MetricSet Metrics = new([KeyValuePair.Create("rmse", 0.35), KeyValuePair.Create("r2", 0.9)]);

    [Test]
    public void A_metric_within_its_bound_satisfies_the_constraint()
    {
        Assert.That(Metrics, MlHas.Metric("rmse").LessThan(0.4));
        Assert.That(Metrics, MlHas.Metric("rmse").AtMost(0.35));
        Assert.That(Metrics, MlHas.Metric("r2").GreaterThan(0.8));
        Assert.That(Metrics, MlHas.Metric("r2").AtLeast(0.9));
        Assert.That(Metrics, MlHas.Metric("r2").InRange(0.9, 0.95));
    }

    [Test]
    public void A_metric_out_of_its_bound_fails_the_assertion_with_both_values()
    {
        var thrown = Assert.Throws<AssertionException>(() => Assert.That(Metrics, MlHas.Metric("rmse").LessThan(0.2)));
        Assert.That(thrown.Message, Does.Contain("Metric 'rmse' of the result: expected less than 0.2 but was 0.35."));

        thrown = Assert.Throws<AssertionException>(() => Assert.That(Metrics, MlHas.Metric("log_loss").AtMost(1)));
        Assert.That(thrown.Message, Does.Contain("Metric 'log_loss' of the result: expected at most 1 but it is missing; there are: r2, rmse."));
    }

    [Test]
    public async Task The_constraint_applies_to_a_logged_run_and_names_it()
    {
        await using var store = TemporaryTrackingStore.Create();
        string runId;
        await using (var run = await store.Client.StartRunAsync())
        {
            runId = run.RunId;
            run.LogMetric("accuracy", 0.7);
        }

        var logged = await store.Client.GetRunAsync(runId);
        Assert.That(logged, MlHas.Metric("accuracy").AtLeast(0.7));
        var thrown = Assert.Throws<AssertionException>(() => Assert.That(logged, MlHas.Metric("accuracy").AtLeast(0.8)));
        Assert.That(thrown.Message, Does.Contain($"Metric 'accuracy' of run '{runId}': expected at least 0.8 but was 0.7."));
    }

    [Test]
    public async Task The_constraint_applies_to_a_tracked_workflow_result_and_names_its_run()
    {
        await using var store = TemporaryTrackingStore.Create();
        var ml = new Microsoft.ML.MLContext(3);
        using var result = await MlWorkflow.Workflow.Create(3)
            .Load(Cars.Generate(ml))
            .Features(f => f.OneHot("drv"))
            .Label("hwy")
            .Split(0.2)
            .Train(MlWorkflow.Training.Trainers.Regression.FastTree(trees: 20, leaves: 4, minExamplesPerLeaf: 5))
            .Track(store.Client, "cars")
            .RunAsync();

        Assert.That(result, MlHas.Metric("rmse").LessThan(result.Metrics.Rmse!.Value + 0.001));
        var thrown = Assert.Throws<AssertionException>(() => Assert.That(result, MlHas.Metric("r2").GreaterThan(1)));
        Assert.That(thrown.Message, Does.Contain($"Metric 'r2' of run '{result.Tracking!.RunId}'").And.Contain($"expected greater than 1 but was {result.Metrics.R2!.Value:R}."));
    }

    [Test]
    public void A_value_without_metrics_is_refused()
    {
        var thrown = Assert.Throws<ArgumentException>(() => MlHas.Metric("rmse").LessThan(1).ApplyTo("not metrics"));
        Assert.That(thrown.Message, Does.StartWith("A metric constraint applies to a WorkflowResult, MetricSet, Run or MetricSubject, not String."));
    }
}
