using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;

namespace MlWorkflow.Tests.Data;

/// <summary>Every Delta table of formats/MANIFEST.md: read at its versions with the expected rows, or refused naming the feature.</summary>
public class DeltaTableTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static string Table(string name) => DataViewRows.TestData("formats", "delta", name);

    [Test]
    public async Task PrimitivesTableReadsElevenRowsWithOneAllNullRow()
    {
        var view = await DataSource.Delta(Table("data-reader-primitives")).LoadAsync(_ml);

        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { "as_int", "as_long", "as_byte", "as_short", "as_boolean", "as_float", "as_double", "as_string", "as_binary", "as_big_decimal" }));
        Assert.That(view.Schema["as_long"].Type, Is.EqualTo(NumberDataViewType.Int64));
        Assert.That(view.Schema["as_big_decimal"].Type, Is.EqualTo(NumberDataViewType.Double));
        var ints = DataViewRows.Column(view, "as_int").Cast<int>().Order().ToList();
        Assert.That(ints, Is.EqualTo(new[] { 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }));
        var strings = DataViewRows.Column(view, "as_string").Cast<string>().Order(StringComparer.Ordinal).ToList();
        Assert.That(strings, Is.EqualTo(new[] { string.Empty, "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" }));
        Assert.That(DataViewRows.Column(view, "as_double").Count(v => double.IsNaN((double)v!)), Is.EqualTo(1));
    }

    [TestCase(null, 41)]
    [TestCase(13L, 41)]
    [TestCase(12L, 55)]
    [TestCase(10L, 35)]
    [TestCase(9L, 25)]
    [TestCase(5L, 45)]
    [TestCase(0L, 10)]
    public async Task CheckpointedTableHasTheRowsOfEachVersion(long? version, int rows)
    {
        var view = await DataSource.Delta(Table("basic-with-inserts-deletes-checkpoint"), version).LoadAsync(_ml);

        Assert.That(view.GetRowCount(), Is.EqualTo(rows));
        Assert.That(DataViewRows.Count(view), Is.EqualTo(rows));
    }

    [Test]
    public async Task LatestVersionHoldsTheExpectedIds()
    {
        var view = await DataSource.Delta(Table("basic-with-inserts-deletes-checkpoint")).LoadAsync(_ml);

        var expected = new[] { 0, 10, 20, 30, 40 }.SelectMany(s => Enumerable.Range(s, 5)).Concat(Enumerable.Range(50, 16)).Select(i => (long)i);
        Assert.That(DataViewRows.Column(view, "id").Cast<long>().Order(), Is.EqualTo(expected));
    }

    [TestCase(0L, 10, "data-0-")]
    [TestCase(1L, 20, "data-")]
    [TestCase(2L, 10, "data-2-")]
    [TestCase(3L, 30, "data-")]
    [TestCase(4L, 20, "data-3-")]
    public async Task TimeTravelByVersion(long version, int rows, string prefix)
    {
        var view = await DataSource.Delta(Table("snapshot-data2-deleted"), version).LoadAsync(_ml);

        var col2 = DataViewRows.Column(view, "col2").Cast<string>().ToList();
        Assert.That(col2, Has.Count.EqualTo(rows));
        Assert.That(col2, Has.All.StartsWith(prefix));
    }

    [Test]
    public async Task TimeTravelByTimestampUsesCommitInfo()
    {
        var first = await DataSource.Delta(Table("snapshot-data2-deleted"), DateTimeOffset.FromUnixTimeMilliseconds(FirstCommitTimestamp())).LoadAsync(_ml);

        Assert.That(DataViewRows.Count(first), Is.EqualTo(10));
        await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Delta(Table("snapshot-data2-deleted"), DateTimeOffset.FromUnixTimeMilliseconds(0)).LoadAsync(_ml));
    }

    [Test]
    public async Task PartitioningChangeFollowsTheLogNotTheFolders()
    {
        var v0 = await DataSource.Delta(Table("time-travel-partition-changes-b"), 0).LoadAsync(_ml);
        var v1 = await DataSource.Delta(Table("time-travel-partition-changes-b")).LoadAsync(_ml);

        Assert.That(v0.Schema.Select(c => c.Name), Is.EqualTo(new[] { "id", "part5" }));
        Assert.That(v1.Schema.Select(c => c.Name), Is.EqualTo(new[] { "id", "part2" }));
        var rows0 = DataViewRows.ReadAll(v0);
        Assert.That(rows0.Select(r => (long)r[0]!).Order(), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)));
        Assert.That(rows0.Select(r => (long)r[1]! - ((long)r[0]! % 5)), Has.All.EqualTo(0L));
        var rows1 = DataViewRows.ReadAll(v1);
        Assert.That(rows1.Select(r => (long)r[0]!).Order(), Is.EqualTo(Enumerable.Range(10, 10).Select(i => (long)i)));
        Assert.That(rows1.Select(r => (long)r[1]! - ((long)r[0]! % 2)), Has.All.EqualTo(0L));
    }

    [Test]
    public async Task PartitionValuesAreTypedDecodedAndNullable()
    {
        var view = await DataSource.Delta(Table("data-reader-partition-values"), options: new ColumnarReadOptions { UnsupportedColumns = UnsupportedColumnPolicy.Skip }).LoadAsync(_ml);

        Assert.That(view.Schema["as_int"].Type, Is.EqualTo(NumberDataViewType.Int32));
        Assert.That(view.Schema["as_timestamp"].Type, Is.EqualTo(DateTimeDataViewType.Instance));
        var rows = DataViewRows.ReadAll(view).OrderBy(r => (string)r[view.Schema["value"].Index]!, StringComparer.Ordinal).ToList();
        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows.Select(r => r[view.Schema["as_int"].Index]), Is.EqualTo(new object[] { 0, 1, 0 }));
        Assert.That(rows.Select(r => r[view.Schema["as_string_lit_null"].Index]), Is.EqualTo(new object[] { "null", "null", string.Empty }));
        Assert.That(rows[1][view.Schema["as_date"].Index], Is.EqualTo((object)new DateTime(2021, 9, 8)));
        Assert.That(rows[1][view.Schema["as_timestamp"].Index], Is.EqualTo((object)new DateTime(2021, 9, 8, 11, 11, 11)));
        Assert.That((double)rows[2][view.Schema["as_double"].Index]!, Is.NaN);
        Assert.That(view.Schema["as_nested_struct.aa"].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(rows.Select(r => r[view.Schema["value"].Index]), Is.EqualTo(new object[] { "0", "1", "2" }));
    }

    [Test]
    public async Task TimestampNtzTableReads200Rows()
    {
        var view = await DataSource.Delta(Table("parquet-all-types"), options: new ColumnarReadOptions { UnsupportedColumns = UnsupportedColumnPolicy.Skip }).LoadAsync(_ml);

        Assert.That(view.Schema.Select(c => c.Name), Does.Contain("TimestampNTZType").And.Contain("array_of_prims").And.Contain("nested_struct.aa"));
        Assert.That(DataViewRows.Count(view), Is.EqualTo(200));
    }

    [TestCase("dv-partitioned-with-checkpoint", "deletionVectors")]
    [TestCase("dv-with-columnmapping", "deletionVectors")]
    [TestCase("table-with-columnmapping-mode-name", "column mapping")]
    [TestCase("deltalog-invalid-protocol-version", "reader version 99")]
    public async Task TablesNeedingUnsupportedFeaturesAreRefusedNamingTheFeature(string table, string feature)
    {
        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Delta(Table(table)).LoadAsync(_ml));

        Assert.That(error!.Message, Does.Contain(feature));
    }

    [Test]
    public async Task VersionBeyondTheLatestIsRefused()
    {
        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Delta(Table("snapshot-data2-deleted"), 5).LoadAsync(_ml));

        Assert.That(error!.Message, Does.Contain("latest version is 4"));
    }

    [Test]
    public async Task DescriptionNamesTheTableAndVersion()
    {
        var description = await DataSource.Delta(Table("snapshot-data2-deleted"), 2).DescribeAsync(_ml);
        var again = await DataSource.Delta(Table("snapshot-data2-deleted"), 2).DescribeAsync(_ml);
        var other = await DataSource.Delta(Table("snapshot-data2-deleted"), 3).DescribeAsync(_ml);

        Assert.That(description.Name, Is.EqualTo("snapshot-data2-deleted"));
        Assert.That(description.SourceType, Is.EqualTo("delta_table"));
        Assert.That(description.Source, Does.Contain("\"delta_table_version\":2"));
        Assert.That(description.RowCount, Is.EqualTo(10));
        Assert.That(description.Digest, Is.EqualTo(again.Digest).And.Not.EqualTo(other.Digest));
    }

    private static long FirstCommitTimestamp()
    {
        var line = System.IO.File.ReadLines(Path.Combine(Table("snapshot-data2-deleted"), "_delta_log", "00000000000000000000.json")).First(l => l.Contains("commitInfo", StringComparison.Ordinal));
        return (long)System.Text.Json.Nodes.JsonNode.Parse(line)!["commitInfo"]!["timestamp"]!;
    }
}
