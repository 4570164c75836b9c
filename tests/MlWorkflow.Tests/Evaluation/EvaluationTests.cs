using Microsoft.ML;
using MlWorkflow.Evaluation;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Evaluation;

public sealed class EvaluationTests
{
    private TemporaryDirectory _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TemporaryDirectory();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static void AssertPng(string path)
    {
        Assert.That(File.Exists(path), Is.True, path);
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Take(8), Is.EqualTo(PngSignature), path);
        Assert.That(bytes, Has.Length.GreaterThan(5_000), $"{path} should hold a drawn plot, not an empty image");
    }

    [Test]
    public async Task RegressionReportsItsMetricsPlotsAndFeatureImportance()
    {
        var ml = new MLContext(1);
        var result = await MlWorkflow.Workflow.Create(1, ml)
            .Load(TestDatasets.DiamondsSample(ml))
            .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity"))
            .Label("price")
            .Split(0.2)
            .Train(Trainers.Regression.FastTree(trees: 20))
            .Evaluate(plots: true, featureImportance: true, plotsFolder: _folder.Path)
            .RunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Metrics.Keys, Is.SupersetOf(new[] { "rmse", "mae", "mse", "r2", "example_count" }));
            Assert.That(result.Metrics["rmse"], Is.EqualTo(Math.Sqrt(result.Metrics["mse"])).Within(1e-6 * result.Metrics["rmse"]));
            Assert.That(result.PlotFiles.Select(Path.GetFileName), Is.EquivalentTo(new[] { "residuals.png", "predicted_vs_actual.png", "feature_importance.png" }));
            Assert.That(result.FeatureImportance, Has.Count.EqualTo(6 + 5 + 7 + 8), "carat, depth, table, x, y, z and the one-hot slots");
            Assert.That(result.FeatureImportance.Take(3).Select(f => f.Feature), Has.Some.AnyOf("carat", "x", "y", "z"), "size drives the price");
        });
        foreach (var file in result.PlotFiles)
        {
            AssertPng(file);
        }
    }

    [Test]
    public async Task BinaryReportsTheFullMetricSetAndItsCurves()
    {
        var ml = new MLContext(1);
        var result = await MlWorkflow.Workflow.Create(1, ml)
            .Load(TestDatasets.BreastCancer(ml))
            .Label("target")
            .Split(0.3)
            .Train(Trainers.BinaryClassification.LbfgsLogisticRegression())
            .Evaluate(plots: true, plotsFolder: _folder.Path)
            .RunAsync();
        var m = result.Metrics;
        Assert.Multiple(() =>
        {
            Assert.That(m.Keys, Is.SupersetOf(new[]
            {
                "accuracy", "auc", "auprc", "f1_score", "precision", "recall", "negative_precision", "negative_recall",
                "log_loss", "log_loss_reduction", "entropy", "true_positives", "false_positives", "true_negatives", "false_negatives",
            }));
            Assert.That(m["true_positives"] + m["false_positives"] + m["true_negatives"] + m["false_negatives"], Is.EqualTo(m["example_count"]));
            Assert.That(m["accuracy"], Is.EqualTo((m["true_positives"] + m["true_negatives"]) / m["example_count"]).Within(1e-9));
            Assert.That(result.PlotFiles.Select(Path.GetFileName), Is.EquivalentTo(new[] { "roc_curve.png", "precision_recall_curve.png", "confusion_matrix.png" }));
        });
        foreach (var file in result.PlotFiles)
        {
            AssertPng(file);
        }
    }

    [Test]
    public async Task MulticlassReportsMicroMacroAndPerClassMetrics()
    {
        var ml = new MLContext(1);
        var result = await MlWorkflow.Workflow.Create(1, ml)
            .Load(TestDatasets.Iris(ml))
            .Label("Species")
            .Split(0.3)
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .Evaluate(plots: true, plotsFolder: _folder.Path)
            .RunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Metrics.Keys, Is.SupersetOf(new[]
            {
                "accuracy_micro", "accuracy_macro", "log_loss", "log_loss_reduction",
                "log_loss_class_setosa", "log_loss_class_versicolor", "log_loss_class_virginica", "recall_class_setosa",
            }));
            Assert.That(result.PlotFiles.Select(Path.GetFileName), Is.EqualTo(new[] { "confusion_matrix.png" }));
        });
        AssertPng(result.PlotFiles[0]);
    }

    [Test]
    public async Task CrossValidationReportsEachMetricsMeanAndStandardDeviation()
    {
        var ml = new MLContext(3);
        var result = await MlWorkflow.Workflow.Create(3, ml)
            .Load(TestDatasets.Iris(ml))
            .Label("Species")
            .CrossValidate(folds: 3)
            .Train(Trainers.MulticlassClassification.SdcaMaximumEntropy(maxIterations: 20))
            .RunAsync();
        var folds = result.FoldMetrics.Select(f => f["accuracy_micro"]).ToArray();
        var mean = folds.Average();
        var std = Math.Sqrt(folds.Sum(v => (v - mean) * (v - mean)) / (folds.Length - 1));
        Assert.Multiple(() =>
        {
            Assert.That(result.FoldMetrics, Has.Count.EqualTo(3));
            Assert.That(result.Metrics["accuracy_micro_mean"], Is.EqualTo(mean).Within(1e-12));
            Assert.That(result.Metrics["accuracy_micro_std"], Is.EqualTo(std).Within(1e-12));
            Assert.That(result.Metrics.Keys, Has.Member("log_loss_mean").And.Member("log_loss_std"));
            Assert.That(result.Metrics.ContainsKey("accuracy_micro"), Is.False);
        });
    }

    [Test]
    public void SummarizeComputesTheSampleStandardDeviation()
    {
        var summary = MetricSet.Summarize([
            new MetricSet([KeyValuePair.Create("rmse", 1.0)]),
            new MetricSet([KeyValuePair.Create("rmse", 3.0)]),
        ]);
        Assert.Multiple(() =>
        {
            Assert.That(summary["rmse_mean"], Is.EqualTo(2.0));
            Assert.That(summary["rmse_std"], Is.EqualTo(Math.Sqrt(2.0)).Within(1e-12));
            Assert.That(() => summary["rmse"], Throws.InstanceOf<KeyNotFoundException>().With.Message.Contains("rmse_mean"));
        });
    }

    [Test]
    public void CurvesOfAPerfectRankingReachTheCorner()
    {
        double[] labels = [1, 1, 0, 0];
        double[] scores = [0.9, 0.8, 0.3, 0.1];
        var (fpr, tpr, _) = Curves.Roc(labels, scores);
        Assert.That(Curves.Area(fpr, tpr), Is.EqualTo(1.0));
        var (recall, precision) = Curves.PrecisionRecall(labels, scores);
        Assert.That(precision.Take(3), Is.All.EqualTo(1.0));
        Assert.That(recall[^1], Is.EqualTo(1.0));
    }

    [Test]
    public void PerClassNamesAreSafeMlflowKeys()
    {
        Assert.That(MetricNames.PerClass("log_loss", "Iris setosa?"), Is.EqualTo("log_loss_class_Iris setosa_"));
    }

    [Test]
    public void Binary_log_loss_and_entropy_are_in_natural_log_units_as_MLflow_and_scikit_learn_report_them()
    {
        var rows = new[]
        {
            new ScoredRow { Label = true, Probability = 0.9f }, new ScoredRow { Label = true, Probability = 0.6f },
            new ScoredRow { Label = true, Probability = 0.3f }, new ScoredRow { Label = false, Probability = 0.2f },
            new ScoredRow { Label = false, Probability = 0.7f }, new ScoredRow { Label = true, Probability = 0.8f },
        };
        foreach (var row in rows)
        {
            row.Score = row.Probability - 0.5f;
            row.PredictedLabel = row.Probability > 0.5f;
        }

        var ml = new MLContext(1);
        var metrics = ModelEvaluator.Evaluate(ml, ml.Data.LoadFromEnumerable(rows), LearningTask.BinaryClassification);

        // scikit-learn's log_loss: -mean(y·ln p + (1 − y)·ln(1 − p)); the prior's entropy with the same logarithm.
        var expected = -rows.Average(r => r.Label ? Math.Log(r.Probability) : Math.Log(1 - r.Probability));
        var positive = rows.Count(r => r.Label) / (double)rows.Length;
        var entropy = -((positive * Math.Log(positive)) + ((1 - positive) * Math.Log(1 - positive)));
        Assert.Multiple(() =>
        {
            Assert.That(metrics.LogLoss, Is.EqualTo(expected).Within(1e-5));
            Assert.That(metrics["entropy"], Is.EqualTo(entropy).Within(1e-5));
            Assert.That(metrics["log_loss_reduction"], Is.EqualTo(1 - (expected / entropy)).Within(1e-5), "a ratio: the same in any unit");
        });
    }

    private sealed class ScoredRow
    {
        public bool Label { get; set; }

        public float Score { get; set; }

        public bool PredictedLabel { get; set; }

        public float Probability { get; set; }
    }
}
