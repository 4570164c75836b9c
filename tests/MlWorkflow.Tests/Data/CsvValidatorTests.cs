using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Data.Csv;

namespace MlWorkflow.Tests.Data;

/// <summary>The whole-file CSV check: the same outcome however the file is split into chunks (quoted line breaks across chunk
/// boundaries, exact line numbers in errors, widening merged across chunks), and numbers checked by what their column can hold.</summary>
public class CsvValidatorTests
{
    private readonly MLContext _ml = new(seed: 1);
    private string _temp = null!;

    [SetUp]
    public void CreateTemp() => Directory.CreateDirectory(_temp = Path.Combine(Path.GetTempPath(), "mlw-csv-tests-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteTemp() => Directory.Delete(_temp, recursive: true);

    private string WriteCsv(string text, string name = "data.csv")
    {
        var path = Path.Combine(_temp, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    /// <summary>Rows of an int, a real, a boolean and a text column; every seventh text is quoted over three lines.</summary>
    private static string Rows(int count, string newline = "\n", Func<int, string?>? replace = null)
    {
        var text = new StringBuilder("id,x,flag,name").Append(newline);
        for (var i = 0; i < count; i++)
        {
            var name = i % 7 == 3 ? $"\"first{newline}second, \"\"quoted\"\"{newline}third {i}\"" : $"name {i}";
            text.Append(replace?.Invoke(i) ?? string.Create(CultureInfo.InvariantCulture, $"{i},{i * 0.25},{(i % 2 == 0 ? "true" : "false")},{name}")).Append(newline);
        }

        return text.ToString();
    }

    private static async Task<CsvValidation> ValidateAsync(string path, int chunks, int sampleRows = 5)
    {
        var options = new CsvOptions { SampleRows = sampleRows };
        var columns = await CsvSchemaInference.InferAsync(path, options, CancellationToken.None);
        return await CsvValidator.ValidateAsync(path, columns, options, chunks, CancellationToken.None);
    }

    private static async Task<object> OutcomeAsync(string path, int chunks)
    {
        try
        {
            var result = await ValidateAsync(path, chunks);
            return (result.Rows, result.HasMultilineFields, string.Join(",", result.Columns.Select(c => $"{c.Name}:{c.Kind}")));
        }
        catch (DataSourceException e)
        {
            return (e.Message, e.Row, e.Column);
        }
    }

    public static IEnumerable<TestCaseData> Files()
    {
        yield return new TestCaseData(Rows(300)).SetName("QuotedLineBreaksEverySeventhRow");
        yield return new TestCaseData(Rows(300, "\r\n")).SetName("CrLfLineEnds");
        yield return new TestCaseData("\uFEFF" + Rows(200).Replace("\n9,", "\n\n9,", StringComparison.Ordinal)).SetName("ByteOrderMarkAndABlankLine");
        yield return new TestCaseData(Rows(300, replace: i => i == 250 ? "250,1.5,true" : null)).SetName("TooFewFieldsAfterQuotedLineBreaks");
        yield return new TestCaseData(Rows(300, replace: i => i == 280 ? "280,1.5,true,\"never closed" : null)).SetName("UnclosedQuoteNearTheEnd");
        yield return new TestCaseData(Rows(300, replace: i => i == 120 ? "3000000000,1,true,big" : i == 200 ? ",2,true,missing" : null)).SetName("IntegerWidenedToInt64ThenDouble");
        yield return new TestCaseData(Rows(300, replace: i => i == 150 ? "150,1,maybe,text" : null)).SetName("BooleanWidenedToText");
        yield return new TestCaseData(Rows(300, replace: i => i == 290 ? "290,1-2,true,bad" : null)).SetName("MalformedNumberNearTheEnd");
        yield return new TestCaseData(Rows(300, replace: i => i == 100 ? $"100,1,true,\"{new string('x', 5000)}\n{new string('y', 5000)}\"" : null)).SetName("LongQuotedFieldAcrossChunks");
    }

    [TestCaseSource(nameof(Files))]
    public async Task EveryChunkCountGivesTheOutcomeOfOneChunk(string text)
    {
        var path = WriteCsv(text);
        var single = await OutcomeAsync(path, 1);

        for (var chunks = 2; chunks <= 9; chunks++)
        {
            Assert.That(await OutcomeAsync(path, chunks), Is.EqualTo(single), $"{chunks} chunks");
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    public async Task ErrorAfterQuotedLineBreaksNamesTheExactLine(int chunks)
    {
        // Rows 3, 10, …, 248 (36 rows) each take two more lines; data row 250 is on line 2 + 250 + 72.
        var path = WriteCsv(Rows(300, replace: i => i == 250 ? "250,abc,true,bad" : null));

        var error = await Assert.ThrowsAsync<DataSourceException>(() => ValidateAsync(path, chunks));

        Assert.That(error!.Row, Is.EqualTo(2 + 250 + 72));
        Assert.That(error.Column, Is.EqualTo("x"));
        Assert.That(error.Message, Does.Contain("'abc' is not a number"));
    }

    [TestCase(1)]
    [TestCase(3)]
    public async Task QuotedLineBreaksAcrossChunksAreCountedAsRowsNotLines(int chunks)
    {
        var path = WriteCsv(Rows(300));

        var result = await ValidateAsync(path, chunks);

        Assert.That(result.Rows, Is.EqualTo(300));
        Assert.That(result.HasMultilineFields, Is.True);
        Assert.That(result.Columns.Select(c => c.Kind), Is.EqualTo(new[] { DataKind.Int32, DataKind.Double, DataKind.Boolean, DataKind.String }));
    }

    [Test]
    public async Task WideningInLaterChunksIsMergedIntoTheColumns()
    {
        var path = WriteCsv(Rows(300, replace: i => i == 120 ? "3000000000,1,true,big" : i == 280 ? "280,1,maybe,text" : null));

        var result = await ValidateAsync(path, 4);

        Assert.That(result.Columns.Select(c => c.Kind), Is.EqualTo(new[] { DataKind.Int64, DataKind.Double, DataKind.String, DataKind.String }));
    }

    [Test]
    public async Task AnIntegerTooLargeForInt32PastTheSampleMakesTheColumnInt64()
    {
        var path = WriteCsv("id,n\n1,1\n2,2\n3,3000000000\n");

        var view = await DataSource.Csv(path, new CsvOptions { SampleRows = 2 }).LoadAsync(_ml);

        Assert.That(view.Schema["n"].Type, Is.EqualTo(NumberDataViewType.Int64));
        Assert.That(DataViewRows.Column(view, "n"), Is.EqualTo(new object[] { 1L, 2L, 3_000_000_000L }));
    }

    [Test]
    public async Task AnIntegerOutOfRangeOfADeclaredColumnNamesLineAndColumn()
    {
        var path = WriteCsv("id,n\n1,1\n2,3000000000\n");
        var options = new CsvOptions { ColumnTypes = new Dictionary<string, DataKind> { ["n"] = DataKind.Int32 } };

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Csv(path, options).LoadAsync(_ml));

        Assert.That(error!.Row, Is.EqualTo(3));
        Assert.That(error.Column, Is.EqualTo("n"));
        Assert.That(error.Message, Does.Contain("out of range"));
    }

    [TestCase("1-2")]
    [TestCase("1.2.3")]
    [TestCase("-")]
    [TestCase("e5")]
    [TestCase("1e")]
    [TestCase("12ab")]
    public async Task AMalformedNumberPastTheSampleNamesLineAndColumn(string value)
    {
        var path = WriteCsv($"id,x\n1,0.5\n2,1.5\n3,{value}\n");

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Csv(path, new CsvOptions { SampleRows = 2 }).LoadAsync(_ml));

        Assert.That(error!.Row, Is.EqualTo(4));
        Assert.That(error.Column, Is.EqualTo("x"));
    }

    [Test]
    public async Task NumbersWithExponentsSignsAndNaNLoad()
    {
        var path = WriteCsv("id,x\n1,0.5\n2,1e3\n3,-.5\n4,+3\n5,NaN\n6,2.5E-1\n");

        var view = await DataSource.Csv(path, new CsvOptions { SampleRows = 1 }).LoadAsync(_ml);

        Assert.That(DataViewRows.Column(view, "x"), Is.EqualTo(new object[] { 0.5, 1000.0, -0.5, 3.0, double.NaN, 0.25 }));
    }

    [Test]
    public async Task AnErrorNearTheEndOfALargeFileNamesItsLine()
    {
        // Over 8 MB, so the file is checked in parallel chunks on a machine with more than one processor.
        var text = new StringBuilder("id,x,name\n");
        const int rows = 150_000;
        for (var i = 0; i < rows; i++)
        {
            text.Append(i).Append(',').Append((i * 0.5).ToString(CultureInfo.InvariantCulture)).Append(",a fairly long text value to make the file large ").Append(i).Append('\n');
        }

        text.Append("150000,2.5\n");
        var path = WriteCsv(text.ToString());
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(8L << 20));

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Csv(path).LoadAsync(_ml));

        Assert.That(error!.Row, Is.EqualTo(rows + 2));
        Assert.That(error.Message, Does.Contain("2 fields"));
    }

    [TestCase(1)]
    [TestCase(4)]
    public async Task Empty_reals_are_reported_and_load_as_nan_even_far_past_the_sample(int chunks)
    {
        // 3,000 full rows (past the 1,000-row inference sample), then one row with an empty real.
        var path = WriteCsv(Rows(3_000, replace: i => i == 2_999 ? "2999,,true,last" : null));
        var columns = await CsvSchemaInference.InferAsync(path, new CsvOptions(), CancellationToken.None);
        var validation = await CsvValidator.ValidateAsync(path, columns, new CsvOptions(), chunks, CancellationToken.None);
        Assert.That(validation.HasMissingReals, Is.True);

        var view = await DataSource.Csv(path).LoadAsync(_ml);
        var x = view.GetColumn<double>("x").ToArray();
        Assert.That(double.IsNaN(x[^1]), Is.True, "an empty real is NaN, not 0");
        Assert.That(x[1], Is.EqualTo(0.25));
    }

    [Test]
    public async Task A_file_without_empty_reals_is_reported_so_and_loads_the_same_values()
    {
        var path = WriteCsv(Rows(500));
        var columns = await CsvSchemaInference.InferAsync(path, new CsvOptions(), CancellationToken.None);
        var validation = await CsvValidator.ValidateAsync(path, columns, new CsvOptions(), 1, CancellationToken.None);
        Assert.That(validation.HasMissingReals, Is.False);
        var x = (await DataSource.Csv(path).LoadAsync(_ml)).GetColumn<double>("x").ToArray();
        Assert.That(x, Is.EqualTo(Enumerable.Range(0, 500).Select(i => i * 0.25)));
    }
}
