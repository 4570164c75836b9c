using Microsoft.ML;
using MlWorkflow.Data;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Tracking;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Autologging;

/// <summary>One tracked base workflow feeding several trainers at once: each run is its own MLflow run (issue 11 point 5, issue 12 point 2).</summary>
public sealed class SharedBaseTrackingTests : TrackedStoreFixture
{
    [Test]
    public async Task Two_workflows_derived_from_one_tracked_base_run_concurrently_as_two_finished_runs()
    {
        var tracked = MlWorkflow.Workflow.Create(5)
            .Load(DataSource.Csv(TestDatasets.PathOf("iris.csv")))
            .Label("Species")
            .Split(0.3)
            .Evaluate(plots: true, plotsFolder: Path.Combine(TempPath, "plots"))
            .Track(Client, "shared-base");
        var maxent = tracked.Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy());
        var forest = tracked.Train(Trainers.MulticlassClassification.LightGbm(iterations: 20));

        var results = await Task.WhenAll(Task.Run(() => maxent.RunAsync()), Task.Run(() => forest.RunAsync()));

        var runIds = results.Select(r => r.Tracking!.RunId).ToArray();
        Assert.That(runIds.Distinct().Count(), Is.EqualTo(2), "two runs");
        foreach (var result in results)
        {
            var run = await Client.GetRunAsync(result.Tracking!.RunId);
            Assert.Multiple(() =>
            {
                Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Finished), result.Trainer.Name);
                Assert.That(run.Data.GetParam("trainer"), Is.EqualTo(result.Trainer.Name), "each run holds its own trainer's params");
                Assert.That(run.Data.GetMetric("accuracy_micro")?.Value, Is.EqualTo(result.Metrics.AccuracyMicro));
                Assert.That(result.Tracking.ModelUri, Is.EqualTo($"runs:/{run.Info.RunId}/model"));
            });
        }
    }

    [Test]
    public async Task Each_run_of_one_tracked_workflow_is_its_own_run()
    {
        var workflow = MlWorkflow.Workflow.Create(5)
            .Load(TestDatasets.Iris(new MLContext(5)))
            .Label("Species")
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .Track(Client, "repeated", options: new MlWorkflow.Autologging.WorkflowTrackingOptions { LogModel = false, LogDataset = false });

        using var first = await workflow.RunAsync();
        using var second = await workflow.RunAsync();

        Assert.That(second.Tracking!.RunId, Is.Not.EqualTo(first.Tracking!.RunId));
        Assert.That(second.Metrics.ToList(), Is.EqualTo(first.Metrics.ToList()), "each run has its own context seeded alike, so the same metrics");
    }
}
