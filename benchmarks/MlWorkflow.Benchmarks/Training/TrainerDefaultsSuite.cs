using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Training;

namespace MlWorkflow.Benchmarks.Training;

/// <summary>
/// Issue 14's first section: the catalog's default trainers on two real data sets, on a fixed 80/20 split (seed 42),
/// test RMSE and training seconds. txhousing: label log1p(sales), rows without sales dropped, <c>volume</c>, <c>median</c>
/// and <c>date</c> dropped (they leak the label or repeat year/month); diamonds: label price. The same featurisation for
/// every trainer (one-hot categoricals, mean-imputed numbers), so that only the trainer and its defaults differ.
/// The old shallow forest (20 leaves, 10 rows per leaf, feature fraction 0.7) is measured beside the new default, and
/// breast_cancer (binary, 30 numbers) checks the classification forest: AUC and accuracy. Seconds are the fit alone.
/// </summary>
internal sealed class TrainerDefaultsSuite : IBenchmarkSuite
{
    private const int Seed = 42;
    private const double TestFraction = 0.2;

    public string Name => "defaults";

    public string Description => "default RandomForest, FastTree and LightGBM on txhousing log1p(sales), diamonds price and breast_cancer, 80/20 split, seed 42";

    private static string DataDirectory => Path.Combine(AppContext.BaseDirectory, "data");

    public Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var specs = new (string Name, TrainerSpec Spec)[]
        {
            ("rf", Trainers.Regression.RandomForest()),
            ("rf_old", Trainers.Regression.RandomForest(trees: 100, leaves: 20, minExamplesPerLeaf: 10, featureFraction: 0.7)),
            ("fasttree", Trainers.Regression.FastTree()),
            ("lightgbm", Trainers.Regression.LightGbm()),
        };
        foreach (var (dataName, load, features) in DataSets())
        {
            foreach (var (specName, spec) in specs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (rmse, seconds) = Measure(load, features, spec);
                report.Add($"{dataName}_{specName}_rmse", rmse);
                report.Add($"{dataName}_{specName}_seconds", seconds);
            }
        }

        var binarySpecs = new (string Name, TrainerSpec Spec)[]
        {
            ("rf", Trainers.BinaryClassification.FastForest()),
            ("rf_old", Trainers.BinaryClassification.FastForest(trees: 100, leaves: 20, minExamplesPerLeaf: 10, featureFraction: 0.7)),
            ("fasttree", Trainers.BinaryClassification.FastTree()),
            ("lightgbm", Trainers.BinaryClassification.LightGbm()),
            ("sdca_logistic", Trainers.BinaryClassification.SdcaLogisticRegression()),
            ("lbfgs_logistic", Trainers.BinaryClassification.LbfgsLogisticRegression()),
            ("averaged_perceptron", Trainers.BinaryClassification.AveragedPerceptron()),
        };
        foreach (var (specName, spec) in binarySpecs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (auc, accuracy, seconds) = MeasureBinary(spec);
            report.Add($"breast_cancer_{specName}_auc", auc);
            report.Add($"breast_cancer_{specName}_accuracy", accuracy);
            report.Add($"breast_cancer_{specName}_seconds", seconds);
        }

        return Task.CompletedTask;
    }

    // 30 numeric features, then target (1 = benign).
    private static (double Auc, double Accuracy, double Seconds) MeasureBinary(TrainerSpec spec)
    {
        var ml = new MLContext(Seed);
        var data = ml.Data.LoadFromTextFile(
            Path.Combine(DataDirectory, "breast_cancer.csv"),
            [new TextLoader.Column("Features", DataKind.Single, 0, 29), new TextLoader.Column("target", DataKind.Single, 30)],
            separatorChar: ',',
            hasHeader: true);
        var split = ml.Data.TrainTestSplit(data, TestFraction, seed: Seed);
        // Standardised for the linear learners, as the workflow does for a trainer that needs normalisation.
        IEstimator<ITransformer> pipeline = ml.Transforms.Conversion.ConvertType("Label", "target", DataKind.Boolean);
        if (spec.NeedsNormalization)
        {
            pipeline = pipeline.Append(ml.Transforms.NormalizeMeanVariance("Features"));
        }

        pipeline = pipeline.Append(spec.CreateEstimator(ml, "Label"));
        var watch = Stopwatch.StartNew();
        var model = pipeline.Fit(ml.Data.Cache(split.TrainSet));
        var seconds = watch.Elapsed.TotalSeconds;
        var metrics = ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(split.TestSet), labelColumnName: "Label");
        FigureReport.Note($"  {spec}: AUC {metrics.AreaUnderRocCurve:G4}, accuracy {metrics.Accuracy:G4} in {seconds:F1} s");
        return (metrics.AreaUnderRocCurve, metrics.Accuracy, seconds);
    }

    private static IEnumerable<(string Name, Func<MLContext, IDataView> Load, Func<MLContext, IEstimator<ITransformer>> Features)> DataSets()
    {
        yield return ("txhousing", LoadTxhousing, ml => ml.Transforms.Categorical.OneHotEncoding("city")
            .Append(ml.Transforms.ReplaceMissingValues([new("listings"), new("inventory")]))
            .Append(ml.Transforms.Concatenate("Features", "city", "year", "month", "listings", "inventory")));
        yield return ("diamonds", LoadDiamonds, ml => ml.Transforms.Categorical.OneHotEncoding([new("cut"), new("color"), new("clarity")])
            .Append(ml.Transforms.Concatenate("Features", "carat", "cut", "color", "clarity", "depth", "table", "x", "y", "z")));
    }

    private static (double Rmse, double Seconds) Measure(Func<MLContext, IDataView> load, Func<MLContext, IEstimator<ITransformer>> features, TrainerSpec spec)
    {
        var ml = new MLContext(Seed);
        var split = ml.Data.TrainTestSplit(load(ml), TestFraction, seed: Seed);
        var trainSet = ml.Data.Cache(split.TrainSet);
        var watch = Stopwatch.StartNew();
        var model = features(ml).Append(spec.CreateEstimator(ml, "Label")).Fit(trainSet);
        var seconds = watch.Elapsed.TotalSeconds;
        var metrics = ml.Regression.Evaluate(model.Transform(split.TestSet), labelColumnName: "Label");
        FigureReport.Note($"  {spec}: RMSE {metrics.RootMeanSquaredError:G4} in {seconds:F1} s");
        return (metrics.RootMeanSquaredError, seconds);
    }

    // city, year, month, sales, volume, median, listings, inventory, date; "" is missing.
    private static IDataView LoadTxhousing(MLContext ml) =>
        ml.Data.LoadFromEnumerable(Rows("txhousing.csv")
            .Where(f => f[3].Length > 0)
            .Select(f => new HousingRow
            {
                City = f[0],
                Year = Number(f[1]),
                Month = Number(f[2]),
                Listings = Number(f[6]),
                Inventory = Number(f[7]),
                Label = MathF.Log(1 + Number(f[3])),
            })
            .ToList());

    // carat, cut, color, clarity, depth, table, price, x, y, z.
    private static IDataView LoadDiamonds(MLContext ml) =>
        ml.Data.LoadFromEnumerable(Rows("diamonds.csv")
            .Select(f => new DiamondRow
            {
                Carat = Number(f[0]),
                Cut = f[1],
                Color = f[2],
                Clarity = f[3],
                Depth = Number(f[4]),
                Table = Number(f[5]),
                Label = Number(f[6]),
                X = Number(f[7]),
                Y = Number(f[8]),
                Z = Number(f[9]),
            })
            .ToList());

    // The shared files quote text and never put a comma inside quotes.
    private static IEnumerable<string[]> Rows(string file) =>
        File.ReadLines(Path.Combine(DataDirectory, file)).Skip(1).Select(line => line.Split(',').Select(f => f.Trim('"')).ToArray());

    private static float Number(string text) => text.Length == 0 || text == "NA" ? float.NaN : float.Parse(text, CultureInfo.InvariantCulture);

    private sealed class HousingRow
    {
        [ColumnName("city")]
        public string City { get; set; } = string.Empty;

        [ColumnName("year")]
        public float Year { get; set; }

        [ColumnName("month")]
        public float Month { get; set; }

        [ColumnName("listings")]
        public float Listings { get; set; }

        [ColumnName("inventory")]
        public float Inventory { get; set; }

        public float Label { get; set; }
    }

    private sealed class DiamondRow
    {
        [ColumnName("carat")]
        public float Carat { get; set; }

        [ColumnName("cut")]
        public string Cut { get; set; } = string.Empty;

        [ColumnName("color")]
        public string Color { get; set; } = string.Empty;

        [ColumnName("clarity")]
        public string Clarity { get; set; } = string.Empty;

        [ColumnName("depth")]
        public float Depth { get; set; }

        [ColumnName("table")]
        public float Table { get; set; }

        [ColumnName("x")]
        public float X { get; set; }

        [ColumnName("y")]
        public float Y { get; set; }

        [ColumnName("z")]
        public float Z { get; set; }

        public float Label { get; set; }
    }
}
