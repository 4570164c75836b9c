using Microsoft.ML;
using MlWorkflow.Evaluation;
using MlWorkflow.Features;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Training;

public sealed class TrainerSpecTests
{
    private static IEnumerable<TestCaseData> RegressionTrainers()
    {
        yield return new TestCaseData(Trainers.Regression.FastTree(trees: 30)).SetArgDisplayNames("FastTree");
        yield return new TestCaseData(Trainers.Regression.FastForest(trees: 10)).SetArgDisplayNames("FastForest");
        yield return new TestCaseData(Trainers.Regression.LightGbm(iterations: 10)).SetArgDisplayNames("LightGbm");
        yield return new TestCaseData(Trainers.Regression.Sdca(maxIterations: 20)).SetArgDisplayNames("Sdca");
        yield return new TestCaseData(Trainers.Regression.OnlineGradientDescent(iterations: 5)).SetArgDisplayNames("OnlineGradientDescent");
        yield return new TestCaseData(Trainers.Regression.Poisson()).SetArgDisplayNames("Poisson");
    }

    private static IEnumerable<TestCaseData> BinaryTrainers()
    {
        yield return new TestCaseData(Trainers.BinaryClassification.FastTree(trees: 10)).SetArgDisplayNames("FastTree");
        yield return new TestCaseData(Trainers.BinaryClassification.FastForest(trees: 10)).SetArgDisplayNames("FastForest");
        yield return new TestCaseData(Trainers.BinaryClassification.LightGbm(iterations: 10)).SetArgDisplayNames("LightGbm");
        yield return new TestCaseData(Trainers.BinaryClassification.SdcaLogisticRegression(maxIterations: 20)).SetArgDisplayNames("SdcaLogisticRegression");
        yield return new TestCaseData(Trainers.BinaryClassification.LbfgsLogisticRegression()).SetArgDisplayNames("LbfgsLogisticRegression");
        yield return new TestCaseData(Trainers.BinaryClassification.AveragedPerceptron()).SetArgDisplayNames("AveragedPerceptron");
    }

    private static IEnumerable<TestCaseData> MulticlassTrainers()
    {
        yield return new TestCaseData(Trainers.MulticlassClassification.LightGbm(iterations: 10, minExamplesPerLeaf: 5)).SetArgDisplayNames("LightGbm");
        yield return new TestCaseData(Trainers.MulticlassClassification.SdcaMaximumEntropy(maxIterations: 20)).SetArgDisplayNames("SdcaMaximumEntropy");
        yield return new TestCaseData(Trainers.MulticlassClassification.LbfgsMaximumEntropy()).SetArgDisplayNames("LbfgsMaximumEntropy");
        yield return new TestCaseData(Trainers.MulticlassClassification.OneVersusAll(Trainers.BinaryClassification.FastTree(trees: 5))).SetArgDisplayNames("OneVersusAll");
    }

    [TestCaseSource(nameof(RegressionTrainers))]
    public async Task EveryRegressionTrainerTrainsAndEvaluatesOnDiamonds(TrainerSpec trainer)
    {
        var ml = new MLContext(42);
        var result = await MlWorkflow.Workflow.Create(42, ml)
            .Load(TestDatasets.DiamondsSample(ml))
            .Features(f => f.Log1p("price", "log_price").OneHot("cut").OneHot("color").OneHot("clarity"))
            .Label("log_price")
            .Split(0.2)
            .Train(trainer)
            .RunAsync();
        Assert.That(result.Metrics.R2, Is.GreaterThan(0.5), $"{trainer} should explain most of the log-price");
    }

    [TestCaseSource(nameof(BinaryTrainers))]
    public async Task EveryBinaryTrainerTrainsAndEvaluatesOnBreastCancer(TrainerSpec trainer)
    {
        var ml = new MLContext(42);
        var result = await MlWorkflow.Workflow.Create(42, ml)
            .Load(TestDatasets.BreastCancer(ml))
            .Label("target")
            .Split(0.25)
            .Train(trainer)
            .RunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Metrics.Accuracy, Is.GreaterThan(0.85));
            Assert.That(result.Metrics.Auc, Is.GreaterThan(0.9));
            Assert.That(result.Metrics.ContainsKey(MetricNames.LogLoss), Is.EqualTo(trainer.ProducesProbability));
        });
    }

    [TestCaseSource(nameof(MulticlassTrainers))]
    public async Task EveryMulticlassTrainerTrainsAndEvaluatesOnIris(TrainerSpec trainer)
    {
        var ml = new MLContext(42);
        var result = await MlWorkflow.Workflow.Create(42, ml)
            .Load(TestDatasets.Iris(ml))
            .Label("Species")
            .Split(0.3)
            .Train(trainer)
            .RunAsync();
        Assert.That(result.Metrics.AccuracyMicro, Is.GreaterThan(0.8));
    }

    [Test]
    public void HyperparametersAreCheckedWhenTheSpecIsCreated()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Trainers.Regression.FastForest(trees: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("trees"));
            Assert.That(() => Trainers.Regression.FastTree(leaves: 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("leaves"));
            Assert.That(() => Trainers.Regression.LightGbm(learningRate: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Trainers.Regression.FastForest(featureFraction: 1.5), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Trainers.BinaryClassification.SdcaLogisticRegression(l2Regularization: -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Trainers.MulticlassClassification.OneVersusAll(Trainers.Regression.Sdca()), Throws.ArgumentException.With.Message.Contains("binary"));
        });
    }

    [Test]
    public void ASpecReportsItsParams()
    {
        var spec = Trainers.Regression.RandomForest(trees: 100, leaves: 16);
        var parameters = spec.ToParams();
        Assert.Multiple(() =>
        {
            Assert.That(spec.Name, Is.EqualTo("FastForest"));
            Assert.That(spec.Task, Is.EqualTo(LearningTask.Regression));
            Assert.That(parameters["trainer"], Is.EqualTo("FastForest"));
            Assert.That(parameters["task"], Is.EqualTo("regression"));
            Assert.That(parameters["trees"], Is.EqualTo("100"));
            Assert.That(parameters["leaves"], Is.EqualTo("16"));
            Assert.That(parameters["feature_fraction"], Is.EqualTo("1"), "the catalog's forest default (issue 14)");
            Assert.That(Trainers.MulticlassClassification.OneVersusAll(Trainers.BinaryClassification.FastTree()).ToParams()["binary_trainer"], Is.EqualTo("FastTree"));
        });
    }

    [Test]
    public async Task Normalisation_is_added_for_a_linear_trainer_unless_every_feature_is_already_normalised()
    {
        static async Task<string> FeatureSteps(Func<FeaturePipelineBuilder, FeaturePipelineBuilder>? features)
        {
            var ml = new MLContext(2);
            var workflow = MlWorkflow.Workflow.Create(2, ml).Load(GeneratedData.For(ml, LearningTask.Regression)).Label("Y").Split(0.25);
            if (features is not null)
            {
                workflow = workflow.Features(features);
            }

            var result = await workflow.Train(Trainers.Regression.Sdca(maxIterations: 20)).RunAsync();
            Assert.That(result.Metrics.R2, Is.GreaterThan(0.9), "scaled either way, SDCA fits the linear signal");
            return result.Params["feature_steps"];
        }

        var automatic = await FeatureSteps(null);
        var allNormalised = await FeatureSteps(f => f.NormalizeMeanVariance("X1", "X2", "X3"));
        var someNormalised = await FeatureSteps(f => f.NormalizeMeanVariance("X3"));
        Assert.Multiple(() =>
        {
            Assert.That(automatic, Does.Contain("normalize_min_max"));
            Assert.That(allNormalised, Does.Not.Contain("normalize_min_max"));
            Assert.That(allNormalised, Does.Contain("normalize_mean_variance"));
            Assert.That(someNormalised, Does.Contain("normalize_min_max"));
        });
    }
}
