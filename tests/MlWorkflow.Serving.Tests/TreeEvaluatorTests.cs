using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Models;
using MlWorkflow.Serving.Scoring;
using MlWorkflow.Training;

namespace MlWorkflow.Serving.Tests;

/// <summary>
/// Tree-ensemble regressions are served by the flat tree evaluator: on all 53,940 rows of diamonds its predictions must be
/// ML.NET's own, to the last bit of the float score (issue 13, serving speed).
/// </summary>
public sealed class TreeEvaluatorTests
{
    private static string Diamonds => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "diamonds.csv");

    [TestCase("FastForest")]
    [TestCase("FastTree")]
    public async Task A_tree_ensemble_served_by_the_flat_evaluator_predicts_as_MLNET_does_on_every_diamond(string trainer)
    {
        using var temp = new TemporaryDirectory();
        var folder = await TrainDiamondsAsync(temp, trainer == "FastForest" ? Trainers.Regression.FastForest(trees: 30) : Trainers.Regression.FastTree(trees: 100));

        var model = MlnetModel.Load(folder);
        var view = await DataSource.Csv(Diamonds).LoadAsync(model.MLContext);
        var expected = model.Predict(view).GetColumn<float>("Score").ToArray();

        var logs = new CollectingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = folder, Port = 0, LoggerFactory = loggers });
        using var http = new HttpClient { BaseAddress = server.Uri };
        var predictions = await Http.PredictionsAsync(http, DataframeSplitBodies.Of(view, "price"));
        var actual = predictions.EnumerateArray().Select(p => p.GetDouble()).ToArray();

        Assert.That(logs.Messages, Has.Some.Contains("evaluated by the flat tree evaluator"));
        Assert.That(actual, Has.Length.EqualTo(expected.Length).And.Length.EqualTo(53_940));

        // Bit for bit: the evaluator rounds as ML.NET does (double sum to float, then a float division for a forest's mean).
        var different = expected.Select((e, i) => (float)actual[i] == e ? -1 : i).Where(i => i >= 0).ToArray();
        Assert.That(different, Is.Empty, () => $"{different.Length} predictions differ, the first at row {different[0]}: {actual[different[0]]} against ML.NET's {expected[different[0]]}");
    }

    [Test]
    public async Task Row_by_row_the_evaluator_gives_the_same_bits_as_eight_rows_at_once_on_every_diamond()
    {
        // One row at a time takes the scalar walk (what a processor without AVX2 runs for every row); whole blocks take
        // eight rows at once where AVX2 is there. Both must give the same bits on every row.
        using var temp = new TemporaryDirectory();
        var folder = await TrainDiamondsAsync(temp, Trainers.Regression.FastTree(trees: 100));

        var model = MlnetModel.Load(folder);
        var view = await DataSource.Csv(Diamonds).LoadAsync(model.MLContext);
        var path = TreeRegressionPath.TryCreate(model.Transformer, view.Schema);
        Assert.That(path, Is.Not.Null);
        const int Rows = 53_940;
        var features = new float[Rows * path!.Stride];
        path.Featurize(view, features, CancellationToken.None);
        var together = new double[Rows];
        path.Evaluator.Predict(features, path.Stride, together);
        var alone = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            path.Evaluator.Predict(features.AsSpan(r * path.Stride, path.Stride), path.Stride, alone.AsSpan(r, 1));
        }

        var different = Enumerable.Range(0, Rows).Where(r => BitConverter.DoubleToInt64Bits(alone[r]) != BitConverter.DoubleToInt64Bits(together[r])).ToArray();
        Assert.That(together.Distinct().Count(), Is.GreaterThan(1000), "the trees predict many different prices");
        Assert.That(different, Is.Empty, () => $"{different.Length} rows differ, the first {different[0]}: {alone[different[0]]} alone against {together[different[0]]}");
    }

    [TestCase(true, "the flat tree evaluator")]
    [TestCase(false, "ML.NET")]
    public async Task The_tree_evaluator_can_be_turned_off_and_both_paths_give_MLNETs_predictions(bool useTreeEvaluator, string evaluator)
    {
        var logs = new CollectingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = ServedModels.RegressionFolder, Port = 0, LoggerFactory = loggers, UseTreeEvaluator = useTreeEvaluator });
        using var http = new HttpClient { BaseAddress = server.Uri };
        var cars = GeneratedData.Cars(rows: 50, seed: 17);
        var rows = string.Join(", ", cars.Select(c => FormattableString.Invariant($$"""{"displ": {{c.displ}}, "cyl": {{c.cyl}}, "trans": "{{c.trans}}", "drv": "{{c.drv}}"}""")));
        var predictions = await Http.PredictionsAsync(http, $$"""{"dataframe_records": [{{rows}}]}""");
        var expected = ServedModels.Regression.Predict<GeneratedData.CarInput, GeneratedData.ScorePrediction>(cars.Select(c => new GeneratedData.CarInput { displ = c.displ, cyl = c.cyl, trans = c.trans, drv = c.drv }))
            .Select(p => (double)p.Score);
        Assert.Multiple(() =>
        {
            Assert.That(logs.Messages, Has.Some.Contains($"evaluated by {evaluator};"));
            Assert.That(Http.Numbers(predictions), Is.EqualTo(expected).Within(1e-5));
        });
    }

    // A tree regression of diamonds' price (cut, colour and clarity one-hot), saved to a folder of the temporary directory.
    private static async Task<string> TrainDiamondsAsync(TemporaryDirectory temp, TrainerSpec trainer)
    {
        var folder = temp.Combine("model");
        using var trained = await Workflow.Create(42)
            .Load(DataSource.Csv(Diamonds))
            .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity"))
            .Label("price")
            .Train(trainer)
            .RunAsync();
        trained.SaveModel(folder);
        return folder;
    }
}
