using Microsoft.ML;
using MlWorkflow.Autologging;
using MlWorkflow.Evaluation;
using MlWorkflow.Tests.Autologging;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Tracking;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Training;

public sealed class CustomTrainerTests : TrackedStoreFixture
{
    [Test]
    public async Task A_users_own_pipeline_ending_in_SDCA_is_trained_evaluated_and_tracked_as_a_built_in_one()
    {
        var spec = Trainers.Custom(
            "ScaledSdca",
            LearningTask.Regression,
            c => c.MLContext.Transforms.NormalizeMeanVariance(c.FeatureColumn)
                .Append(c.MLContext.Regression.Trainers.Sdca(
                    c.LabelColumn, c.FeatureColumn, l2Regularization: c.Get<float>("l2_regularization"), maximumNumberOfIterations: c.Get<int>("max_iterations"))),
            new Dictionary<string, object> { ["l2_regularization"] = 0.01, ["max_iterations"] = 50, ["scaling"] = "mean_variance" });
        var ml = new MLContext(3);

        var result = await MlWorkflow.Workflow.Create(3, ml)
            .Load(GeneratedData.For(ml, LearningTask.Regression))
            .Label("Y")
            .Split(0.25)
            .Train(spec)
            .Track(Client, "custom-trainers", "scaled-sdca")
            .RunAsync();

        var run = await Client.GetRunAsync(result.Tracking!.RunId);
        Assert.Multiple(() =>
        {
            Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Finished));
            Assert.That(run.Data.GetParam("trainer"), Is.EqualTo("ScaledSdca"));
            Assert.That(run.Data.GetParam("task"), Is.EqualTo("regression"));
            Assert.That(run.Data.GetParam("l2_regularization"), Is.EqualTo("0.01"));
            Assert.That(run.Data.GetParam("max_iterations"), Is.EqualTo("50"));
            Assert.That(run.Data.GetParam("scaling"), Is.EqualTo("mean_variance"));
            Assert.That(run.Data.GetMetric(MetricNames.R2)?.Value, Is.GreaterThan(0.95));
            Assert.That(run.Data.GetMetric(MetricNames.Rmse)?.Value, Is.EqualTo(result.Metrics[MetricNames.Rmse]).Within(1e-12));
        });
    }

    [Test]
    public async Task A_custom_descriptor_is_tunable_a_point_reaches_the_estimator_and_the_run()
    {
        var descriptor = new TrainerDescriptor(
            "SmallForest",
            LearningTask.BinaryClassification,
            [HyperparameterDescriptor.Integer("trees", "Number of trees.", 1, searchMinimum: 2, searchMaximum: 50, logScale: true, defaultValue: 10)],
            c => c.MLContext.BinaryClassification.Trainers.FastForest(c.LabelColumn, c.FeatureColumn, numberOfTrees: c.Get<int>("trees")),
            producesProbability: false);
        var spec = descriptor.Create(new Dictionary<string, object?> { ["trees"] = 6 });
        var ml = new MLContext(4);

        var result = await MlWorkflow.Workflow.Create(4, ml)
            .Load(GeneratedData.For(ml, LearningTask.BinaryClassification))
            .Label("Y")
            .Split(0.25)
            .Train(spec)
            .Track(Client, "custom-trainers")
            .RunAsync();

        var run = await Client.GetRunAsync(result.Tracking!.RunId);
        Assert.Multiple(() =>
        {
            Assert.That(descriptor.Hyperparameter("trees").Default, Is.EqualTo(10));
            Assert.That(run.Data.GetParam("trainer"), Is.EqualTo("SmallForest"));
            Assert.That(run.Data.GetParam("trees"), Is.EqualTo("6"));
            Assert.That(run.Data.GetMetric(MetricNames.Accuracy)?.Value, Is.GreaterThan(0.8));
            Assert.That(result.Metrics.ContainsKey(MetricNames.LogLoss), Is.False, "not calibrated, as declared");
        });
    }

    [Test]
    public async Task One_versus_all_wraps_a_custom_binary_trainer()
    {
        var binary = Trainers.Custom(
            "MyLogistic",
            LearningTask.BinaryClassification,
            c => c.MLContext.BinaryClassification.Trainers.LbfgsLogisticRegression(c.LabelColumn, c.FeatureColumn),
            needsNormalization: true);
        var ml = new MLContext(5);

        var result = await MlWorkflow.Workflow.Create(5, ml)
            .Load(GeneratedData.For(ml, LearningTask.MulticlassClassification))
            .Label("Y")
            .Split(0.25)
            .Train(Trainers.MulticlassClassification.OneVersusAll(binary))
            .RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.Params["binary_trainer"], Is.EqualTo("MyLogistic"));
            // Chance is about 1/3. The middle class lies between two thresholds of the signal, which one linear boundary
            // against the rest cannot carve out, so one-versus-all logistic regression stays near 0.7 (42 of these 60 test rows).
            Assert.That(result.Metrics.AccuracyMicro, Is.GreaterThan(0.6));
        });
    }

    [Test]
    public void A_custom_trainer_is_checked_when_it_is_made()
    {
        Assert.Multiple(() =>
        {
            Assert.That(
                () => Trainers.Custom("Bad", LearningTask.Regression, c => c.MLContext.Regression.Trainers.Sdca(c.LabelColumn, c.FeatureColumn), new Dictionary<string, object> { ["trainer"] = "x" }),
                Throws.ArgumentException.With.Message.Contains("'trainer'"));
            Assert.That(
                () => Trainers.Custom("Bad", LearningTask.Regression, c => c.MLContext.Regression.Trainers.Sdca(c.LabelColumn, c.FeatureColumn), new Dictionary<string, object> { ["seed"] = 1 }),
                Throws.ArgumentException.With.Message.Contains("'seed' would clash"));
            Assert.That(() => Trainers.Custom("Bad", LearningTask.Regression, null!), Throws.ArgumentNullException);
            Assert.That(() => Trainers.Custom(" ", LearningTask.Regression, c => c.MLContext.Regression.Trainers.Sdca()), Throws.ArgumentException);
        });
    }
}
