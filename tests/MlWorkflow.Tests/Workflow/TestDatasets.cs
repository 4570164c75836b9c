using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Tests.Workflow;

/// <summary>The real data sets under TestData/datasets (provenance in its MANIFEST.md), loaded with ML.NET's TextLoader.</summary>
internal static class TestDatasets
{
    public static string PathOf(string file) =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "datasets", file);

    /// <summary>Fisher's iris: four Single measurements and the text label <c>Species</c>.</summary>
    public static IDataView Iris(MLContext ml) => ml.Data.LoadFromTextFile(
        PathOf("iris.csv"),
        [
            new TextLoader.Column("Sepal.Length", DataKind.Single, 0),
            new TextLoader.Column("Sepal.Width", DataKind.Single, 1),
            new TextLoader.Column("Petal.Length", DataKind.Single, 2),
            new TextLoader.Column("Petal.Width", DataKind.Single, 3),
            new TextLoader.Column("Species", DataKind.String, 4),
        ],
        separatorChar: ',',
        hasHeader: true,
        allowQuoting: true);

    /// <summary>Wisconsin breast cancer: 30 Single features and <c>target</c> (1 = benign) as a Single 0/1.</summary>
    public static IDataView BreastCancer(MLContext ml)
    {
        var header = File.ReadLines(PathOf("breast_cancer.csv")).First().Split(',');
        var columns = header.Select((name, i) => new TextLoader.Column(name, DataKind.Single, i)).ToArray();
        return ml.Data.LoadFromTextFile(PathOf("breast_cancer.csv"), columns, separatorChar: ',', hasHeader: true);
    }

    /// <summary>A seeded random sample of about 5% (some 2,700 rows) of ggplot2's diamonds; label <c>price</c>.</summary>
    public static IDataView DiamondsSample(MLContext ml)
    {
        var all = ml.Data.LoadFromTextFile(
            PathOf("diamonds.csv"),
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
        // Cache the sample so that repeated passes do not re-read and re-hash the whole file.
        return ml.Data.Cache(ml.Data.TrainTestSplit(all, testFraction: 0.05, seed: 7).TestSet);
    }
}
