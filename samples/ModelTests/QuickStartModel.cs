using Microsoft.ML;
using MlWorkflow;
using MlWorkflow.Data;
using MlWorkflow.Tracking;
using MlWorkflow.Training;

namespace ModelTests;

/// <summary>The QuickStart's model (samples/QuickStart, part 2): a random forest on the Texas housing sales, predicting log1p(sales).</summary>
internal static class QuickStartModel
{
    public const string Name = "SalesForecastModel";

    private static string CsvFile => Path.Combine(AppContext.BaseDirectory, "data", "txhousing.csv");

    /// <summary>The rows with sales (rows without cannot be learned from or scored against), as the QuickStart's silver table holds them.</summary>
    public static async Task<IDataView> LoadSalesAsync(MLContext ml, CancellationToken cancellationToken = default)
    {
        var raw = await DataSource.Csv(CsvFile).LoadAsync(ml, cancellationToken);
        return ml.Data.FilterRowsByMissingValues(raw, "sales");
    }

    /// <summary>
    /// The golden data set: the last year of sales (its fractional 'date' from 2015 on), which release candidates and the champion
    /// are both judged on, with the label the models are evaluated against: log_sales, computed as the workflow's label step does.
    /// </summary>
    public static async Task<IDataView> LoadGoldenAsync(MLContext ml, CancellationToken cancellationToken = default)
    {
        var lastYear = ml.Data.FilterRowsByColumn(await LoadSalesAsync(ml, cancellationToken), "date", lowerBound: 2015);
        var label = ml.Transforms.Expression("log_sales", "x : log(1 + x)", "sales")
            .Append(ml.Transforms.Conversion.ConvertType("log_sales", outputKind: Microsoft.ML.Data.DataKind.Single));
        return label.Fit(lastYear).Transform(lastYear);
    }

    /// <summary>Trains the QuickStart's workflow (fewer trees by default, to keep the suite quick) and tracks it with <paramref name="client"/>.</summary>
    public static async Task<WorkflowResult> TrainAsync(MlflowClient client, int trees = 20, int seed = 42, CancellationToken cancellationToken = default)
    {
        var ml = new MLContext(seed);
        return await Workflow.Create(seed: seed, mlContext: ml)
            .Load(await LoadSalesAsync(ml, cancellationToken))
            .Features(f => f
                .Log1p("sales", "log_sales")
                .OneHot("city")
                .ReplaceMissing("listings")
                .ReplaceMissing("inventory")
                .ReplaceMissing("volume")
                .ReplaceMissing("median"))
            .Label("log_sales")
            .Split(testFraction: 0.2)
            .Train(Trainers.Regression.RandomForest(trees: trees))
            .Track(client, experiment: "sales-forecast")
            .RunAsync(cancellationToken);
    }
}
