using System.Buffers.Binary;
using System.Globalization;
using Microsoft.ML;
using MlWorkflow.Evaluation;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Training;
using ScottPlot;
using ScottPlot.Plottables;

namespace MlWorkflow.Tests.Evaluation;

/// <summary>The plots name the label column, carry the evaluator's own R² and RMSE, thin out dense scatters, name the
/// importance measure with its standard deviation, and give the confusion matrix a colour scale and per-class percentages.</summary>
public sealed class EvaluationPlotsTests
{
    private TemporaryDirectory _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TemporaryDirectory();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    /// <summary>A PNG's width and height from its IHDR chunk.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), path);
        Assert.That(bytes, Has.Length.GreaterThan(5_000), $"{path} should hold a drawn plot");
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    /// <summary>Predictions scored against a known label: actual = 10·x + noise, predicted = actual + noise.</summary>
    private static (double[] Actual, double[] Predicted) Regression(int rows)
    {
        var random = new Random(5);
        var actual = Enumerable.Range(0, rows).Select(_ => (10 * random.NextDouble() * 10) + random.NextDouble()).ToArray();
        var predicted = actual.Select(a => a + ((random.NextDouble() - 0.5) * 12)).ToArray();
        return (actual, predicted);
    }

    private static string Title(Plot plot) => plot.Axes.Title.Label.Text;

    [Test]
    public void PredictedVsActualNamesTheLabelAndShowsTheEvaluatorsR2AndRmse()
    {
        var ml = new MLContext(1);
        var (actual, predicted) = Regression(3_000);
        var scored = ml.Data.LoadFromEnumerable(actual.Select((a, i) => new Scored { price = (float)a, Score = (float)predicted[i] }));
        var (metrics, data) = ModelEvaluator.EvaluateWithData(ml, scored, LearningTask.Regression, "price");

        var drawn = EvaluationPlots.PredictedVsActualPlot(data.Labels, data.Scores, data.LabelColumn);
        var path = Path.Combine(_folder.Path, "pva.png");
        EvaluationPlots.WritePredictedVsActual(path, data.Labels, data.Scores, data.LabelColumn);

        var scores = drawn.Plot.GetPlottables().OfType<Annotation>().Single().Text;
        Assert.Multiple(() =>
        {
            Assert.That(drawn.Plot.Axes.Bottom.Label.Text, Is.EqualTo("actual price"));
            Assert.That(drawn.Plot.Axes.Left.Label.Text, Is.EqualTo("predicted price"));
            Assert.That(Title(drawn.Plot), Does.Contain("price").And.Contain("3,000 rows"));
            Assert.That(scores, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"R² = {metrics["r2"]:0.000}")), "ML.NET's R²");
            Assert.That(scores, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"RMSE = {metrics["rmse"]:G4}")), "ML.NET's RMSE");
            Assert.That(drawn.Plot.GetPlottables().OfType<Scatter>().Single().Color.Alpha, Is.LessThan(128), "3,000 points are drawn see-through");
            Assert.That(PngSize(path), Is.EqualTo((800, 600)));
        });
    }

    [Test]
    public void ResidualsNameTheLabelAndDenseScattersTurnTransparent()
    {
        var (fewActual, fewPredicted) = Regression(50);
        var (manyActual, manyPredicted) = Regression(20_000);

        var few = EvaluationPlots.ResidualsPlot(fewActual, fewPredicted, "log_sales").Plot;
        var many = EvaluationPlots.ResidualsPlot(manyActual, manyPredicted, "log_sales").Plot;
        var path = Path.Combine(_folder.Path, "residuals.png");
        EvaluationPlots.WriteResiduals(path, manyActual, manyPredicted, "log_sales");

        var fewAlpha = few.GetPlottables().OfType<Scatter>().Single().Color.Alpha;
        var manyAlpha = many.GetPlottables().OfType<Scatter>().Single().Color.Alpha;
        Assert.Multiple(() =>
        {
            Assert.That(many.Axes.Bottom.Label.Text, Is.EqualTo("predicted log_sales"));
            Assert.That(many.Axes.Left.Label.Text, Does.Contain("actual − predicted log_sales"));
            Assert.That(fewAlpha, Is.GreaterThan(200), "a few points stay nearly opaque");
            Assert.That(manyAlpha, Is.LessThanOrEqualTo(50), "20,000 points are drawn at under 20% opacity");
            Assert.That(PngSize(path), Is.EqualTo((800, 600)));
        });
    }

    [Test]
    public void ConfusionMatrixHasAColourScaleAndPerClassPercentages()
    {
        double[,] counts = { { 45, 5, 0 }, { 2, 36, 12 }, { 0, 4, 46 } };
        string[] names = ["setosa", "versicolor", "virginica"];

        var drawn = EvaluationPlots.ConfusionMatrixPlot(counts, names, "Species");
        var path = Path.Combine(_folder.Path, "confusion.png");
        EvaluationPlots.WriteConfusionMatrix(path, counts, names, "Species");

        var texts = drawn.Plot.GetPlottables().OfType<Text>().Select(t => t.LabelText).ToList();
        var heatmap = drawn.Plot.GetPlottables().OfType<Heatmap>().Single();
        var (width, height) = PngSize(path);
        Assert.Multiple(() =>
        {
            Assert.That(texts, Has.Count.EqualTo(9));
            Assert.That(texts, Does.Contain("45\n90.0%").And.Contain("12\n24.0%").And.Contain("0\n0.0%"), "count and share of the actual class");
            Assert.That(drawn.Plot.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>().Select(c => c.Label), Is.EqualTo(new[] { "% of the actual class" }), "a colour scale");
            Assert.That(heatmap.Intensities[1, 2], Is.EqualTo(24.0).Within(1e-9), "coloured by the row percentage");
            Assert.That(drawn.Plot.Axes.Bottom.Label.Text, Is.EqualTo("predicted Species"));
            Assert.That(drawn.Plot.Axes.Left.Label.Text, Is.EqualTo("actual Species"));
            Assert.That(width, Is.GreaterThan(height), "room for the colour scale beside the square matrix");
        });
    }

    [Test]
    public void FeatureImportanceNamesTheMeasureAndDrawsEachStandardDeviation()
    {
        FeatureImportance[] importances = [new("carat", 2100, 35), new("y", 800, 20), new("clarity.SI2", 150, 12), new("depth", -3, 4)];

        var drawn = EvaluationPlots.FeatureImportancePlot(importances, 20, PermutationFeatureImportanceCalculator.Measure(LearningTask.Regression));
        var bars = drawn.Plot.GetPlottables().OfType<BarPlot>().Single().Bars;

        Assert.Multiple(() =>
        {
            Assert.That(Title(drawn.Plot), Does.Contain("RMSE increase"));
            Assert.That(drawn.Plot.Axes.Bottom.Label.Text, Does.StartWith("RMSE increase").And.Contain("± 1 s.d."));
            Assert.That(bars.Select(b => b.Value), Is.EqualTo(new double[] { -3, 150, 800, 2100 }), "largest on top");
            Assert.That(bars.Select(b => b.Error), Is.EqualTo(new double[] { 4, 12, 20, 35 }), "error bars are the standard deviations");
            Assert.That(PermutationFeatureImportanceCalculator.Measure(LearningTask.BinaryClassification), Is.EqualTo("AUC decrease"));
            Assert.That(PermutationFeatureImportanceCalculator.Measure(LearningTask.MulticlassClassification), Is.EqualTo("micro-accuracy decrease"));
        });
    }

    [Test]
    public async Task WorkflowPlotsCarryTheLabelAndTheSpreadOfSeveralPermutations()
    {
        var ml = new MLContext(1);
        var result = await MlWorkflow.Workflow.Create(1, ml)
            .Load(TestDatasets.DiamondsSample(ml))
            .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity"))
            .Label("price")
            .Split(0.2)
            .Train(Trainers.Regression.FastTree(trees: 20))
            .Evaluate(plots: true, featureImportance: true, permutations: 3, plotsFolder: _folder.Path)
            .RunAsync();

        var importance = result.PlotFiles.Single(f => Path.GetFileName(f) == EvaluationPlots.FeatureImportanceFile);
        var (_, height) = PngSize(importance);
        Assert.Multiple(() =>
        {
            Assert.That(result.FeatureImportance.Take(3).Select(f => f.StandardDeviation), Is.All.GreaterThan(0), "three permutations give a spread");
            Assert.That(height, Is.EqualTo(680), "20 features shown, 28 pixels each");
            foreach (var file in result.PlotFiles)
            {
                Assert.That(PngSize(file).Width, Is.GreaterThanOrEqualTo(800), file);
            }
        });
    }

    private sealed class Scored
    {
        public float price { get; set; }

        public float Score { get; set; }
    }
}
