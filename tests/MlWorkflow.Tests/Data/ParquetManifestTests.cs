using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;

namespace MlWorkflow.Tests.Data;

/// <summary>Every Parquet file of formats/MANIFEST.md: read with its expected row count and schema, or rejected with a clear error.</summary>
public class ParquetManifestTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static string File(string name) => DataViewRows.TestData("formats", "parquet", name);

    [TestCase("alltypes_plain.parquet", 8)]
    [TestCase("alltypes_plain.snappy.parquet", 2)]
    [TestCase("alltypes_dictionary.parquet", 2)]
    public async Task ImpalaAllTypesReadWithElevenColumns(string name, int rows)
    {
        var view = await DataSource.Parquet(File(name)).LoadAsync(_ml);

        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { "id", "bool_col", "tinyint_col", "smallint_col", "int_col", "bigint_col", "float_col", "double_col", "date_string_col", "string_col", "timestamp_col" }));
        Assert.That(view.Schema["id"].Type, Is.EqualTo(NumberDataViewType.Int32));
        Assert.That(view.Schema["bool_col"].Type, Is.EqualTo(BooleanDataViewType.Instance));
        Assert.That(view.Schema["bigint_col"].Type, Is.EqualTo(NumberDataViewType.Int64));
        Assert.That(view.Schema["float_col"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(view.Schema["double_col"].Type, Is.EqualTo(NumberDataViewType.Double));
        Assert.That(view.Schema["string_col"].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(view.Schema["timestamp_col"].Type, Is.EqualTo(DateTimeDataViewType.Instance));
        Assert.That(view.GetRowCount(), Is.EqualTo(rows));
        var all = DataViewRows.ReadAll(view);
        Assert.That(all, Has.Count.EqualTo(rows));
        Assert.That(all.Select(r => r[9]), Has.All.Matches<object?>(v => v is "0" or "1"), "string_col holds the digits 0 and 1 as UTF-8 text");
    }

    [Test]
    public async Task PlainUncompressedChecksumFileReadsAllRows()
    {
        var view = await DataSource.Parquet(File("datapage_v1-uncompressed-checksum.parquet")).LoadAsync(_ml);

        Assert.That(view.Schema.Select(c => (c.Name, c.Type)), Is.EqualTo(new[] { ("a", (DataViewType)NumberDataViewType.Int32), ("b", NumberDataViewType.Int32) }));
        Assert.That(DataViewRows.Count(view), Is.EqualTo(5120));
    }

    [TestCase("binary.parquet", 12, "foo")]
    [TestCase("data_index_bloom_encoding_stats.parquet", 14, "String")]
    [TestCase("delta_length_byte_array.parquet", 1000, "FRUIT")]
    public async Task ByteArrayColumnsReadAsText(string name, int rows, string column)
    {
        var view = await DataSource.Parquet(File(name)).LoadAsync(_ml);

        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { column }));
        Assert.That(view.Schema[column].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(DataViewRows.Count(view), Is.EqualTo(rows));
    }

    [Test]
    public async Task ByteStreamSplitZstdFloatsAreFiniteStandardNormals()
    {
        var view = await DataSource.Parquet(File("byte_stream_split.zstd.parquet")).LoadAsync(_ml);

        var rows = DataViewRows.ReadAll(view);
        Assert.That(rows, Has.Count.EqualTo(300));
        Assert.That(view.Schema["f32"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(view.Schema["f64"].Type, Is.EqualTo(NumberDataViewType.Double));
        Assert.That(rows.Select(r => (double)r[1]!), Has.All.InRange(-6.0, 6.0));
        Assert.That(rows.Select(r => (double)r[1]!).Average(), Is.InRange(-0.3, 0.3));
    }

    [Test]
    public async Task Lz4RawFileReads()
    {
        var view = await DataSource.Parquet(File("lz4_raw_compressed.parquet")).LoadAsync(_ml);

        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { "c0", "c1", "v11" }));
        Assert.That(view.Schema["c0"].Type, Is.EqualTo(NumberDataViewType.Int64));
        Assert.That(DataViewRows.Count(view), Is.EqualTo(4));
    }

    [Test]
    public async Task AllNullStructLeafIsFlattenedAndMissing()
    {
        var view = await DataSource.Parquet(File("nulls.snappy.parquet")).LoadAsync(_ml);

        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { "b_struct.b_c_int" }));
        Assert.That(DataViewRows.Column(view, "b_struct.b_c_int"), Is.EqualTo(Enumerable.Repeat((object)0, 8)));
    }

    [Test]
    public async Task AllNullColumnFailsUnderFailPolicyNamingTheColumn()
    {
        var view = await DataSource.Parquet(File("page_v2_empty_compressed.parquet"), new ColumnarReadOptions { MissingValues = MissingValuePolicy.Fail }).LoadAsync(_ml);

        var error = Assert.Throws<DataSourceException>(() => DataViewRows.Count(view));
        Assert.That(error!.Column, Is.EqualTo("integer_column"));
        Assert.That(error.RowGroup, Is.Zero);
        Assert.That(error.FilePath, Does.EndWith("page_v2_empty_compressed.parquet"));
    }

    [Test]
    public async Task AllNullColumnSubstitutesByDefault()
    {
        var view = await DataSource.Parquet(File("page_v2_empty_compressed.parquet")).LoadAsync(_ml);

        Assert.That(DataViewRows.Column(view, "integer_column"), Is.EqualTo(Enumerable.Repeat((object)0, 10)));
    }

    [TestCase("int32_decimal.parquet")]
    [TestCase("int64_decimal.parquet")]
    [TestCase("fixed_length_decimal.parquet")]
    [TestCase("byte_array_decimal.parquet")]
    public async Task DecimalsOnEveryPhysicalTypeReadAsDoubles(string name)
    {
        var view = await DataSource.Parquet(File(name)).LoadAsync(_ml);

        Assert.That(view.Schema["value"].Type, Is.EqualTo(NumberDataViewType.Double));
        var values = DataViewRows.Column(view, "value").Cast<double>().ToList();
        Assert.That(values, Has.Count.EqualTo(24));
        Assert.That(values, Is.EqualTo(Enumerable.Range(1, 24).Select(i => (double)i)), "parquet-testing's decimal files hold 1.00 … 24.00");
    }

    [Test]
    public async Task DeltaBinaryPackedMatchesExpectedCsv()
    {
        var view = await DataSource.Parquet(File("delta_binary_packed.parquet")).LoadAsync(_ml);
        var expected = System.IO.File.ReadAllLines(File("delta_binary_packed_expect.csv")).Skip(1).Select(l => l.Split(',')).ToList();

        var rows = DataViewRows.ReadAll(view);
        Assert.That(view.Schema, Has.Count.EqualTo(66));
        Assert.That(rows, Has.Count.EqualTo(200));
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < 66; c++)
            {
                Assert.That(Convert.ToInt64(rows[r][c]), Is.EqualTo(long.Parse(expected[r][c], System.Globalization.CultureInfo.InvariantCulture)), $"row {r} column {c}");
            }
        }
    }

    [TestCase("delta_byte_array.parquet", 1000, 9)]
    [TestCase("delta_encoding_optional_column.parquet", 100, 17)]
    public async Task DeltaEncodedFilesMatchExpectedCsv(string name, int rowCount, int columnCount)
    {
        var view = await DataSource.Parquet(File(name)).LoadAsync(_ml);
        var expected = ReadCsv(File(Path.GetFileNameWithoutExtension(name) + "_expect.csv"));

        var rows = DataViewRows.ReadAll(view);
        Assert.That(view.Schema, Has.Count.EqualTo(columnCount));
        Assert.That(rows, Has.Count.EqualTo(rowCount));
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columnCount; c++)
            {
                var text = expected[r][c];
                var actual = rows[r][c];
                var expectedValue = actual is long ? (object)(text.Length == 0 ? 0L : long.Parse(text, System.Globalization.CultureInfo.InvariantCulture)) : text;
                Assert.That(actual, Is.EqualTo(expectedValue), $"row {r} column {view.Schema[c].Name}");
            }
        }
    }

    [Test]
    public async Task ListColumnsBecomeVectorsWithNullItemsMissing()
    {
        var view = await DataSource.Parquet(File("list_columns.parquet")).LoadAsync(_ml);

        Assert.That(view.Schema["int64_list"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Int64)));
        Assert.That(view.Schema["utf8_list"].Type, Is.EqualTo(new VectorDataViewType(TextDataViewType.Instance)));
        var rows = DataViewRows.ReadAll(view);
        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows.Sum(r => ((long[])r[0]!).Length), Is.GreaterThan(0));
    }

    [Test]
    public async Task TwoRowGroupsReadInOrderWithNulls()
    {
        var view = await DataSource.Parquet(File("sort_columns.parquet")).LoadAsync(_ml);

        var rows = DataViewRows.ReadAll(view);
        Assert.That(rows, Has.Count.EqualTo(6));
        Assert.That(rows.Select(r => r[1]), Has.All.InstanceOf<string>().And.All.Not.Empty);
        Assert.That(rows.Count(r => (long)r[0]! == 0), Is.GreaterThanOrEqualTo(2), "the 2 nulls of a become 0");
    }

    [TestCase("nested_lists.snappy.parquet", 3, "a", "b")]
    [TestCase("nested_maps.snappy.parquet", 6, "a", "b")]
    [TestCase("nullable.impala.parquet", 7, "int_array_Array", "id")]
    [TestCase("nonnullable.impala.parquet", 1, "int_array_array", "ID")]
    public async Task NestedTypesAreRejectedNamingTheColumnOrSkipped(string name, int rows, string unsupported, string kept)
    {
        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Parquet(File(name)).LoadAsync(_ml));
        Assert.That(error!.Column, Is.Not.Null);
        Assert.That(error.Message, Does.Contain("no ML.NET mapping"));

        var view = await DataSource.Parquet(File(name), new ColumnarReadOptions { UnsupportedColumns = UnsupportedColumnPolicy.Skip }).LoadAsync(_ml);
        Assert.That(view.Schema.Select(c => c.Name), Does.Contain(kept).And.Not.Contain(unsupported));
        Assert.That(DataViewRows.Count(view), Is.EqualTo(rows));
    }

    [TestCase("alltypes-java.parquet")]
    [TestCase("floating_orders_nan_count.parquet")]
    public async Task Float16FilesAreRejectedNamingTheType(string name)
    {
        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Parquet(File(name)).LoadAsync(_ml));

        Assert.That(error!.Message, Does.Contain("FLOAT16"));
        Assert.That(error.FilePath, Does.EndWith(name));
    }

    [Test]
    public async Task Int96OutsideDateTimeRangeIsRejectedNamingTheColumn()
    {
        var view = await DataSource.Parquet(File("int96_from_spark.parquet")).LoadAsync(_ml);

        Assert.That(view.Schema["a"].Type, Is.EqualTo(DateTimeDataViewType.Instance));
        var error = Assert.Throws<DataSourceException>(() => DataViewRows.Count(view));
        Assert.That(error!.Column, Is.EqualTo("a"));
        Assert.That(error.RowGroup, Is.Zero);
    }

    [Test]
    public async Task DataPageV2FileReadsItsSupportedColumns()
    {
        var view = await DataSource.Parquet(File("datapage_v2.snappy.parquet")).LoadAsync(_ml);

        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { "a", "b", "c", "d", "e" }));
        Assert.That(view.Schema["e"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Int32)));
        var ab = _ml.Transforms.SelectColumns("a", "b", "c").Fit(view).Transform(view);
        var rows = DataViewRows.ReadAll(ab);
        Assert.That(rows, Has.Count.EqualTo(5));
        Assert.That(rows.Count(r => (string)r[0]! == string.Empty), Is.EqualTo(1), "one null in a");
    }

    [TestCase("PARQUET-1481.parquet")]
    public async Task CorruptFooterIsRejectedAtLoad(string name)
    {
        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Parquet(DataViewRows.TestData("formats", "parquet", "bad", name)).LoadAsync(_ml));

        Assert.That(error!.FilePath, Does.EndWith(name));
    }

    [TestCase("ARROW-RS-GH-6229-DICTHEADER.parquet", 25)]
    [TestCase("ARROW-GH-45185.parquet", 5)]
    public async Task CorruptDataIsRejectedWhenReadNamingRowGroupAndColumn(string name, long footerRows)
    {
        var view = await DataSource.Parquet(DataViewRows.TestData("formats", "parquet", "bad", name), new ColumnarReadOptions { UnsupportedColumns = UnsupportedColumnPolicy.Skip }).LoadAsync(_ml);

        Assert.That(view.GetRowCount(), Is.EqualTo(footerRows));
        var error = Assert.Throws<DataSourceException>(() => DataViewRows.Count(view));
        Assert.That(error!.FilePath, Does.EndWith(name));
        Assert.That(error.RowGroup, Is.Zero);
        Assert.That(error.Column, Is.Not.Null);
    }

    /// <summary>Reads an expectation file with the framework's own RFC 4180 parser, skipping the header.</summary>
    private static List<string[]> ReadCsv(string path)
    {
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(path) { HasFieldsEnclosedInQuotes = true, Delimiters = [","] };
        var rows = new List<string[]>();
        parser.ReadFields();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }

        return rows;
    }
}
