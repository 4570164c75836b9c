using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using MlWorkflow.Autologging;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Data;
using MlWorkflow.Splitting;
using MlWorkflow.Tracking;
using MlWorkflow.Training;

namespace MlWorkflow.Benchmarks.Workflow;

/// <summary>
/// The cost of the fluent workflow: FastForest regression on diamonds.csv (53,940 rows, one-hot categoricals) through
/// <c>Workflow</c> with tracking to a file store (params, metrics, dataset, model; plots off), beside the same pipeline
/// written by hand in raw ML.NET without tracking. Both get the same seed and must give the same metrics.
/// </summary>
internal sealed class WorkflowOverheadSuite : IBenchmarkSuite
{
    private const int Seed = 42;
    private const int Trees = 100;
    private const double TestFraction = 0.2;
    private const int Rounds = 9;

    public string Name => "workflow";

    public string Description => "FastForest on diamonds.csv through Workflow (+ tracking) beside raw ML.NET";

    private static string DataFile => Path.Combine(AppContext.BaseDirectory, "data", "diamonds.csv");

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        // Warm-up of both paths (JIT, file cache), then alternate so that machine noise hits both alike.
        await RunRawAsync(cancellationToken);
        await RunWorkflowAsync(report.WorkDirectory, cancellationToken);

        var raw = new List<double>();
        var ours = new List<double>();
        (double Rmse, double R2, long TrainRows, double TrainSeconds) rawResult = default;
        (double Rmse, double R2) oursResult = default;
        for (var round = 0; round < Rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            rawResult = await RunRawAsync(cancellationToken);
            raw.Add(watch.Elapsed.TotalSeconds);

            watch.Restart();
            oursResult = await RunWorkflowAsync(report.WorkDirectory, cancellationToken);
            ours.Add(watch.Elapsed.TotalSeconds);
            FigureReport.Note($"  round {round}: raw {raw[^1]:F2} s, workflow {ours[^1]:F2} s");
        }

        if (rawResult.Rmse != oursResult.Rmse || rawResult.R2 != oursResult.R2)
        {
            throw new InvalidOperationException($"Metrics differ: raw RMSE {rawResult.Rmse} R2 {rawResult.R2}, workflow RMSE {oursResult.Rmse} R2 {oursResult.R2}.");
        }

        raw.Sort();
        ours.Sort();

        // Rows the forest trained on (counted outside the timed runs).
        var counting = new MLContext(Seed);
        var all = counting.Data.LoadFromTextFile<PriceRow>(DataFile, separatorChar: ',', hasHeader: true, allowQuoting: true);
        var trainRows = counting.Data.CreateEnumerable<PriceRow>(ExactSplit(all).TrainSet, reuseRowObject: true).LongCount();
        // Medians of the interleaved rounds.
        report.Add("workflow_seconds", ours[Rounds / 2]);
        report.Add("raw_mlnet_seconds", raw[Rounds / 2]);
        report.Add("workflow_overhead_ratio", ours[Rounds / 2] / raw[Rounds / 2]);
        report.Add("train_rows", trainRows);
        // Rows per second of the whole workflow (load, features, train, evaluate, track), median round.
        report.Add("train_rows_per_s", trainRows / ours[Rounds / 2]);
        report.Add("rmse", rawResult.Rmse);
        report.Add("r2", rawResult.R2);
        report.Add("metrics_identical", 1);
    }

    private static async Task<(double Rmse, double R2)> RunWorkflowAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var client = MlflowClient.Create(Path.Combine(workDirectory, "mlruns"));
        var ml = new MLContext(Seed);
        var result = await MlWorkflow.Workflow.Create(Seed, ml)
            .Load(DataSource.Csv(DataFile))
            .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity"))
            .Label("price")
            .Split(TestFraction)
            .Train(Trainers.Regression.FastForest(trees: Trees, leaves: 20, minExamplesPerLeaf: 10, featureFraction: 0.7)) // the raw side's options, ML.NET's shallow forest
            .Evaluate(plots: false)
            .Track(client, "workflow-benchmark", options: new WorkflowTrackingOptions { LogPlots = false })
            .RunAsync(cancellationToken);
        return (result.Metrics.Rmse!.Value, result.Metrics.R2!.Value);
    }

    private static Task<(double Rmse, double R2, long TrainRows, double TrainSeconds)> RunRawAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ml = new MLContext(Seed);
        var data = ml.Data.LoadFromTextFile(
            DataFile,
            [
                new TextLoader.Column("carat", DataKind.Single, 0),
                new TextLoader.Column("cut", DataKind.String, 1),
                new TextLoader.Column("color", DataKind.String, 2),
                new TextLoader.Column("clarity", DataKind.String, 3),
                new TextLoader.Column("depth", DataKind.Single, 4),
                new TextLoader.Column("table", DataKind.Single, 5),
                new TextLoader.Column("price", DataKind.Single, 6),
                new TextLoader.Column("x", DataKind.Single, 7),
                new TextLoader.Column("y", DataKind.Single, 8),
                new TextLoader.Column("z", DataKind.Single, 9),
            ],
            separatorChar: ',',
            hasHeader: true,
            allowQuoting: true);
        var (trainSet, testSet) = ExactSplit(data);
        var pipeline = ml.Transforms.Categorical.OneHotEncoding("cut", "cut")
            .Append(ml.Transforms.Categorical.OneHotEncoding("color", "color"))
            .Append(ml.Transforms.Categorical.OneHotEncoding("clarity", "clarity"))
            .Append(ml.Transforms.Concatenate("Features", "carat", "cut", "color", "clarity", "depth", "table", "x", "y", "z"))
            .Append(ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
            {
                LabelColumnName = "price",
                FeatureColumnName = "Features",
                NumberOfTrees = Trees,
                NumberOfLeaves = 20,
                MinimumExampleCountPerLeaf = 10,
                FeatureFraction = 0.7,
            }));
        var watch = Stopwatch.StartNew();
        var model = pipeline.Fit(trainSet);
        var trainSeconds = watch.Elapsed.TotalSeconds;
        var metrics = ml.Regression.Evaluate(model.Transform(testSet), labelColumnName: "price");
        return Task.FromResult((metrics.RootMeanSquaredError, metrics.RSquared, 0L, trainSeconds));
    }

    // Workflow.Split holds out exactly the fraction of rows (as scikit-learn's train_test_split does); ML.NET's own
    // TrainTestSplit draws each row with that probability instead, so the raw side makes the workflow's split with the
    // workflow's own code: the same rows, the same work.
    private static (IDataView TrainSet, IDataView TestSet) ExactSplit(IDataView data)
    {
        var split = Splits.Random(data, TestFraction, Seed, "price");
        return (split.TrainSet, split.TestSet);
    }

    private sealed class PriceRow
    {
        [LoadColumn(6)]
        [ColumnName("price")]
        public float Price { get; set; }
    }
}
