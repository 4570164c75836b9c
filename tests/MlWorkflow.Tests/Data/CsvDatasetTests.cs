using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;

namespace MlWorkflow.Tests.Data;

/// <summary>Every data set of datasets/MANIFEST.md loads from CSV with the right types and missing values, and survives a
/// Parquet round trip and a CSV round trip value for value.</summary>
public class CsvDatasetTests
{
    private readonly MLContext _ml = new(seed: 1);
    private string _temp = null!;

    [SetUp]
    public void CreateTemp() => Directory.CreateDirectory(_temp = Path.Combine(Path.GetTempPath(), "mlw-data-tests-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteTemp() => Directory.Delete(_temp, recursive: true);

    private static string Dataset(string name) => DataViewRows.TestData("datasets", name);

    [Test]
    public async Task IrisHasDottedNamesDoublesAndText()
    {
        var view = await DataSource.Csv(Dataset("iris.csv")).LoadAsync(_ml);

        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { "Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width", "Species" }));
        Assert.That(view.Schema.Take(4).Select(c => c.Type), Has.All.EqualTo(NumberDataViewType.Double));
        Assert.That(view.Schema["Species"].Type, Is.EqualTo(TextDataViewType.Instance));
        var rows = DataViewRows.ReadAll(view);
        Assert.That(rows, Has.Count.EqualTo(150));
        Assert.That(rows[0], Is.EqualTo(new object[] { 5.1, 3.5, 1.4, 0.2, "setosa" }));
    }

    [Test]
    public async Task PenguinsHaveMissingNumbersAsNaNAndMissingTextAsEmpty()
    {
        var view = await DataSource.Csv(Dataset("penguins.csv")).LoadAsync(_ml);

        Assert.That(view.Schema["species"].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(view.Schema["sex"].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(view.Schema["bill_length_mm"].Type, Is.EqualTo(NumberDataViewType.Double));
        Assert.That(view.Schema["body_mass_g"].Type, Is.EqualTo(NumberDataViewType.Double), "integers with missing values become doubles");
        Assert.That(view.Schema["year"].Type, Is.EqualTo(NumberDataViewType.Int32));
        var rows = DataViewRows.ReadAll(view);
        Assert.That(rows, Has.Count.EqualTo(344));
        Assert.That(rows.Count(r => double.IsNaN((double)r[view.Schema["bill_length_mm"].Index]!)), Is.EqualTo(2));
        Assert.That(rows.Count(r => (string)r[view.Schema["sex"].Index]! == string.Empty), Is.EqualTo(11));
        Assert.That(rows[3], Is.EqualTo(new object[] { "Adelie", "Torgersen", double.NaN, double.NaN, double.NaN, double.NaN, string.Empty, 2007 }));
    }

    [Test]
    public async Task TxHousingHasIntegerTimeColumnsAndMissingSales()
    {
        var view = await DataSource.Csv(Dataset("txhousing.csv")).LoadAsync(_ml);

        Assert.That(view.Schema["city"].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(view.Schema["year"].Type, Is.EqualTo(NumberDataViewType.Int32));
        Assert.That(view.Schema["month"].Type, Is.EqualTo(NumberDataViewType.Int32));
        Assert.That(view.Schema["sales"].Type, Is.EqualTo(NumberDataViewType.Double));
        Assert.That(view.Schema["inventory"].Type, Is.EqualTo(NumberDataViewType.Double));
        var rows = DataViewRows.ReadAll(view);
        Assert.That(rows, Has.Count.EqualTo(8602));
        Assert.That(rows.Count(r => double.IsNaN((double)r[view.Schema["sales"].Index]!)), Is.GreaterThan(0));
        Assert.That(rows[1][view.Schema["date"].Index], Is.EqualTo(2000.08333333333));
    }

    [Test]
    public async Task DiamondsHaveQuotedCategoricalsAndIntegerPrice()
    {
        var view = await DataSource.Csv(Dataset("diamonds.csv")).LoadAsync(_ml);

        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { "carat", "cut", "color", "clarity", "depth", "table", "price", "x", "y", "z" }));
        Assert.That(view.Schema["cut"].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(view.Schema["price"].Type, Is.EqualTo(NumberDataViewType.Int32));
        Assert.That(DataViewRows.Count(view), Is.EqualTo(53940));
    }

    [Test]
    public async Task BreastCancerHasThirtyDoublesAndAnIntegerTarget()
    {
        var view = await DataSource.Csv(Dataset("breast_cancer.csv")).LoadAsync(_ml);

        Assert.That(view.Schema, Has.Count.EqualTo(31));
        Assert.That(view.Schema.Take(30).Select(c => c.Type), Has.All.EqualTo(NumberDataViewType.Double));
        Assert.That(view.Schema["target"].Type, Is.EqualTo(NumberDataViewType.Int32));
        Assert.That(DataViewRows.Column(view, "target").Cast<int>().Sum(), Is.EqualTo(357), "357 benign of 569");
    }

    [Test]
    public async Task ColumnTypeOverridesReplaceInference()
    {
        var options = new CsvOptions { ColumnTypes = new Dictionary<string, DataKind> { ["year"] = DataKind.Single, ["island"] = DataKind.String } };

        var view = await DataSource.Csv(Dataset("penguins.csv"), options).LoadAsync(_ml);

        Assert.That(view.Schema["year"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(DataViewRows.Column(view, "year")[0], Is.EqualTo(2007f));
    }

    [TestCase("iris.csv")]
    [TestCase("penguins.csv")]
    [TestCase("txhousing.csv")]
    [TestCase("diamonds.csv")]
    [TestCase("breast_cancer.csv")]
    public async Task ParquetRoundTripKeepsEveryValue(string name)
    {
        var original = await DataSource.Csv(Dataset(name)).LoadAsync(_ml);
        var path = Path.Combine(_temp, Path.ChangeExtension(name, ".parquet"));

        await DataSink.WriteParquetAsync(original, path, rowGroupSize: 10_000);
        var copy = await DataSource.Parquet(path).LoadAsync(_ml);

        Assert.That(copy.Schema.Select(c => (c.Name, c.Type)), Is.EqualTo(original.Schema.Select(c => (c.Name, c.Type))));
        Assert.That(DataViewRows.ReadAll(copy), Is.EqualTo(DataViewRows.ReadAll(original)));
    }

    [TestCase("penguins.csv")]
    [TestCase("txhousing.csv")]
    public async Task CsvRoundTripKeepsEveryValue(string name)
    {
        var original = await DataSource.Csv(Dataset(name)).LoadAsync(_ml);
        var path = Path.Combine(_temp, name);

        await DataSink.WriteCsvAsync(original, path);
        var copy = await DataSource.Csv(path).LoadAsync(_ml);

        Assert.That(copy.Schema.Select(c => (c.Name, c.Type)), Is.EqualTo(original.Schema.Select(c => (c.Name, c.Type))));
        Assert.That(DataViewRows.ReadAll(copy), Is.EqualTo(DataViewRows.ReadAll(original)));
    }

    [Test]
    public async Task DescriptionIsStableForTheSameContentAndChangesWithIt()
    {
        var copy = Path.Combine(_temp, "iris.csv");
        File.Copy(Dataset("iris.csv"), copy);

        var original = await DataSource.Csv(Dataset("iris.csv")).DescribeAsync(_ml);
        var copied = await DataSource.Csv(copy).DescribeAsync(_ml);
        File.AppendAllText(copy, "5.0,3.0,1.0,0.1,\"setosa\"\n");
        var changed = await DataSource.Csv(copy).DescribeAsync(_ml);

        Assert.That(copied.Digest, Is.EqualTo(original.Digest));
        Assert.That(changed.Digest, Is.Not.EqualTo(original.Digest));
        Assert.That(original.RowCount, Is.EqualTo(150));
        Assert.That(changed.RowCount, Is.EqualTo(151));
        var dataset = original.ToMlflowDataset();
        Assert.That(dataset.Name, Is.EqualTo("iris"));
        Assert.That(dataset.SourceType, Is.EqualTo("local"));
        Assert.That(dataset.Source, Does.Contain("iris.csv"));
        Assert.That(dataset.Schema, Does.Contain("\"mlflow_colspec\"").And.Contain("{\"type\":\"double\",\"name\":\"Sepal.Length\",\"required\":true}"));
        Assert.That(dataset.Profile, Is.EqualTo("{\"num_rows\":150}"));
        Assert.That(dataset.Digest, Has.Length.LessThanOrEqualTo(36));
    }
}
