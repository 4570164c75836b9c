using Microsoft.ML;
using MlWorkflow.Models;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Training;

namespace MlWorkflow.Serving.Tests;

/// <summary>
/// Three small models trained once with the Workflow API on generated data and logged to a temporary file store:
/// a regression (cars: miles per gallon), a binary classifier (loans: approved) and a multiclass classifier (flowers: species).
/// The regression is registered as <c>Cars</c> version 1, in Production, with alias <c>champion</c>.
/// </summary>
[SetUpFixture]
public sealed class ServedModels
{
    private static TemporaryDirectory? _temp;

    public static string StorePath => _temp!.Combine("mlruns");

    public static MlflowClient Client { get; private set; } = null!;

    public static string RegressionRunUri { get; private set; } = null!;

    /// <summary>A second, coarser cars model (3 trees): it predicts differently from the first.</summary>
    public static string RegressionV2RunUri { get; private set; } = null!;

    public static string BinaryRunUri { get; private set; } = null!;

    public static string MulticlassRunUri { get; private set; } = null!;

    /// <summary>The loans classifier as an ensemble (logistic regression and boosted trees, probabilities averaged).</summary>
    public static string BinaryEnsembleRunUri { get; private set; } = null!;

    /// <summary>A copy of the regression model in a plain folder, outside any store.</summary>
    public static string RegressionFolder { get; private set; } = null!;

    public static MlnetModel Regression { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task TrainAsync()
    {
        _temp = new TemporaryDirectory();
        Client = MlflowClient.Create(StorePath);
        var ml = new MLContext(3);

        using (var cars = await MlWorkflow.Workflow.Create(3)
            .Load(ml.Data.LoadFromEnumerable(GeneratedData.Cars()))
            .Features(f => f.OneHot("trans").OneHot("drv"))
            .Label("hwy")
            .Train(Trainers.Regression.FastTree(trees: 20))
            .Track(Client, "serving-cars")
            .RunAsync())
        {
            RegressionRunUri = cars.Tracking!.ModelUri!;
            RegressionFolder = _temp.Combine("cars-model");
            cars.SaveModel(RegressionFolder);
        }

        using (var coarse = await MlWorkflow.Workflow.Create(3)
            .Load(ml.Data.LoadFromEnumerable(GeneratedData.Cars(seed: 9)))
            .Features(f => f.OneHot("trans").OneHot("drv"))
            .Label("hwy")
            .Train(Trainers.Regression.FastTree(trees: 3))
            .Track(Client, "serving-cars")
            .RunAsync())
        {
            RegressionV2RunUri = coarse.Tracking!.ModelUri!;
        }

        using (var loans = await MlWorkflow.Workflow.Create(3)
            .Load(ml.Data.LoadFromEnumerable(GeneratedData.Loans()))
            .Label("approved")
            .Train(Trainers.BinaryClassification.LbfgsLogisticRegression())
            .Track(Client, "serving-loans")
            .RunAsync())
        {
            BinaryRunUri = loans.Tracking!.ModelUri!;
        }

        using (var ensemble = await MlWorkflow.Workflow.Create(3)
            .Load(ml.Data.LoadFromEnumerable(GeneratedData.Loans()))
            .Label("approved")
            .Train(Trainers.Ensemble([Trainers.BinaryClassification.LbfgsLogisticRegression(), Trainers.BinaryClassification.FastTree(trees: 20)], [2, 1]))
            .Track(Client, "serving-loans")
            .RunAsync())
        {
            BinaryEnsembleRunUri = ensemble.Tracking!.ModelUri!;
        }

        using (var flowers = await MlWorkflow.Workflow.Create(3)
            .Load(ml.Data.LoadFromEnumerable(GeneratedData.Flowers()))
            .Label("species")
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .Track(Client, "serving-flowers")
            .RunAsync())
        {
            MulticlassRunUri = flowers.Tracking!.ModelUri!;
        }

        var version = await Client.Registry.RegisterModelAsync(RegressionRunUri, "Cars");
        await Client.Registry.TransitionStageAsync("Cars", version.Version, ModelVersionStage.Production);
        await Client.Registry.SetAliasAsync("Cars", "champion", version.Version);
        Regression = await Client.LoadMlnetModelAsync(RegressionRunUri);
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        Client?.Dispose();
        _temp?.Dispose();
    }
}
