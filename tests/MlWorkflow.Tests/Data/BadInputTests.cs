using Microsoft.ML;
using MlWorkflow.Data;

namespace MlWorkflow.Tests.Data;

/// <summary>Bad input gives a <see cref="DataSourceException"/> naming the file, row or row group, and column.</summary>
public class BadInputTests
{
    private readonly MLContext _ml = new(seed: 1);
    private string _temp = null!;

    [SetUp]
    public void CreateTemp() => Directory.CreateDirectory(_temp = Path.Combine(Path.GetTempPath(), "mlw-data-tests-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteTemp() => Directory.Delete(_temp, recursive: true);

    private string WriteCsv(string text)
    {
        var path = Path.Combine(_temp, "bad.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public async Task MissingFilesAreNamed()
    {
        var csv = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Csv(Path.Combine(_temp, "none.csv")).LoadAsync(_ml));
        var parquet = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Parquet(Path.Combine(_temp, "none.parquet")).LoadAsync(_ml));
        var delta = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Delta(_temp).LoadAsync(_ml));

        Assert.That(csv!.FilePath, Does.EndWith("none.csv"));
        Assert.That(parquet!.FilePath, Does.EndWith("none.parquet"));
        Assert.That(delta!.Message, Does.Contain("_delta_log"));
    }

    [Test]
    public async Task RowWithTooFewFieldsNamesTheLine()
    {
        var path = WriteCsv("a,b,c\n1,2,3\n4,5\n");

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Csv(path).LoadAsync(_ml));

        Assert.That(error!.Row, Is.EqualTo(3));
        Assert.That(error.Message, Does.Contain("2 fields"));
        Assert.That(error.FilePath, Is.EqualTo(path));
    }

    [Test]
    public async Task TextInANumericColumnAfterTheSampleNamesLineAndColumn()
    {
        var lines = Enumerable.Range(0, 50).Select(i => $"{i},{i * 0.5}").Append("51,abc");
        var path = WriteCsv("id,x\n" + string.Join('\n', lines) + "\n");

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Csv(path, new CsvOptions { SampleRows = 10 }).LoadAsync(_ml));

        Assert.That(error!.Row, Is.EqualTo(52));
        Assert.That(error.Column, Is.EqualTo("x"));
    }

    [Test]
    public async Task InferredIntegerColumnWithAMissingValuePastTheSampleBecomesDouble()
    {
        var path = WriteCsv("id,n\n1,1\n2,2\n3,\n");

        var view = await DataSource.Csv(path, new CsvOptions { SampleRows = 2 }).LoadAsync(_ml);

        Assert.That(DataViewRows.Column(view, "n"), Is.EqualTo(new object[] { 1.0, 2.0, double.NaN }));
        Assert.That(DataViewRows.Column(view, "id"), Is.EqualTo(new object[] { 1, 2, 3 }));
    }

    [Test]
    public async Task MissingValueInADeclaredIntegerColumnNamesLineAndColumn()
    {
        var path = WriteCsv("id,n\n1,1\n2,2\n3,\n");
        var options = new CsvOptions { ColumnTypes = new Dictionary<string, Microsoft.ML.Data.DataKind> { ["n"] = Microsoft.ML.Data.DataKind.Int32 } };

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Csv(path, options).LoadAsync(_ml));

        Assert.That(error!.Row, Is.EqualTo(4));
        Assert.That(error.Column, Is.EqualTo("n"));
    }

    [Test]
    public async Task UnclosedQuoteIsReported()
    {
        var path = WriteCsv("a,b\n1,\"open\n2,3\n");

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Csv(path).LoadAsync(_ml));

        Assert.That(error!.Message, Does.Contain("not closed"));
    }

    [Test]
    public async Task QuotedFieldsWithSeparatorsQuotesAndNewlinesRead()
    {
        var path = WriteCsv("name,n\n\"a, b\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\n");

        var view = await DataSource.Csv(path).LoadAsync(_ml);

        Assert.That(DataViewRows.Column(view, "name"), Is.EqualTo(new object[] { "a, b", "say \"hi\"", "two\nlines" }));
        Assert.That(DataViewRows.Column(view, "n"), Is.EqualTo(new object[] { 1, 2, 3 }));
    }

    [Test]
    public async Task FolderOfPartFilesAndGlobReadAllFilesAndClashingSchemasAreNamed()
    {
        var folder = Path.Combine(_temp, "table");
        Directory.CreateDirectory(folder);
        var one = DataSource.FromObjects(Enumerable.Range(0, 5).Select(i => new Row { Id = i, Value = i * 1.5 }));
        var two = DataSource.FromObjects(Enumerable.Range(5, 3).Select(i => new Row { Id = i, Value = i * 1.5 }));
        await DataSink.WriteParquetAsync(await one.LoadAsync(_ml), Path.Combine(folder, "part-0.parquet"));
        await DataSink.WriteParquetAsync(await two.LoadAsync(_ml), Path.Combine(folder, "part-1.parquet"));
        File.WriteAllText(Path.Combine(folder, "_SUCCESS"), string.Empty);

        var all = await DataSource.Parquet(folder).LoadAsync(_ml);
        var globbed = await DataSource.Parquet(Path.Combine(folder, "part-1*.parquet")).LoadAsync(_ml);

        Assert.That(DataViewRows.Column(all, "Id"), Is.EqualTo(Enumerable.Range(0, 8).Cast<object>()));
        Assert.That(DataViewRows.Column(globbed, "Id"), Is.EqualTo(new object[] { 5, 6, 7 }));

        var other = DataSource.FromObjects(new[] { new OtherRow { Id = "x", Value = 1 } });
        await DataSink.WriteParquetAsync(await other.LoadAsync(_ml), Path.Combine(folder, "part-2.parquet"));
        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Parquet(folder).LoadAsync(_ml));
        Assert.That(error!.FilePath, Does.EndWith("part-2.parquet"));
        Assert.That(error.Column, Is.EqualTo("Id"));
    }

    [Test]
    public async Task ObjectsLoadAndDescribeStably()
    {
        var rows = Enumerable.Range(0, 4).Select(i => new Row { Id = i, Value = i / 3.0 }).ToList();

        var view = await DataSource.FromObjects(rows, "numbers").LoadAsync(_ml);
        var first = await DataSource.FromObjects(rows, "numbers").DescribeAsync(_ml);
        var second = await DataSource.FromDataView(view, "numbers").DescribeAsync(_ml);
        rows[0].Value = 42;
        var changed = await DataSource.FromObjects(rows, "numbers").DescribeAsync(_ml);

        Assert.That(DataViewRows.Column(view, "Value")[1], Is.EqualTo(1 / 3.0));
        Assert.That(first.Digest, Is.EqualTo(second.Digest).And.Not.EqualTo(changed.Digest));
        Assert.That(first.RowCount, Is.EqualTo(4));
        Assert.That(first.SourceType, Is.EqualTo("code"));
    }

    private sealed class Row
    {
        public int Id { get; set; }

        public double Value { get; set; }
    }

    private sealed class OtherRow
    {
        public string Id { get; set; } = string.Empty;

        public double Value { get; set; }
    }
}
