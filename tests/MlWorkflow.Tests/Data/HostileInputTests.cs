using System.Buffers.Binary;
using System.Text;
using Microsoft.ML;
using MlWorkflow.Data;

namespace MlWorkflow.Tests.Data;

/// <summary>Hostile files (a huge quoted field, a huge header line, a Delta field of the wrong type or a huge Delta line, a Parquet
/// footer claiming a gigabyte) give a <see cref="DataSourceException"/> naming the file and the place, within the documented limits,
/// without reading or allocating what the file claims. The files at the default limits are sparse: gigabytes long, no disk used.</summary>
public class HostileInputTests
{
    private const long GigabyteAndABit = 1_200_000_000;

    private readonly MLContext _ml = new(seed: 1);
    private string _temp = null!;

    [SetUp]
    public void CreateTemp() => Directory.CreateDirectory(_temp = Path.Combine(Path.GetTempPath(), "mlw-hostile-tests-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteTemp() => Directory.Delete(_temp, recursive: true);

    /// <summary>Writes <paramref name="head"/>, then zeros up to <paramref name="length"/> bytes without writing them (a sparse file),
    /// then <paramref name="tail"/>.</summary>
    private string WriteSparse(string name, byte[] head, long length, byte[]? tail = null)
    {
        var path = Path.Combine(_temp, name);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.Write(head);
        stream.SetLength(length);
        if (tail is not null)
        {
            stream.Position = length - tail.Length;
            stream.Write(tail);
        }

        return path;
    }

    /// <summary>The error a load gives and the bytes allocated (by every thread) until it came.</summary>
    private static async Task<(DataSourceException Error, long Allocated)> RefusedAsync(Func<Task> load)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var error = await Assert.ThrowsAsync<DataSourceException>(async () => await load());
        return (error!, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    [Test]
    public async Task QuotedFieldPastTheConfiguredLimitNamesFileLineAndColumnInTheSampleAndInTheCheck()
    {
        var field = new string('x', 2 << 20);
        var path = Path.Combine(_temp, "long.csv");
        File.WriteAllText(path, $"a,b\n1,short\n2,\"{field}\"\n3,after\n");
        var options = new CsvOptions { MaxFieldLength = 1 << 20 };

        // Row 3 is in the inference sample by default, and only in the whole-file check with a sample of one row.
        var inSample = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Csv(path, options).LoadAsync(_ml));
        var inCheck = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Csv(path, new CsvOptions { MaxFieldLength = 1 << 20, SampleRows = 1 }).LoadAsync(_ml));

        foreach (var error in new[] { inSample!, inCheck! })
        {
            Assert.That(error.FilePath, Is.EqualTo(path));
            Assert.That(error.Row, Is.EqualTo(3));
            Assert.That(error.Column, Is.EqualTo("b"));
            Assert.That(error.Message, Does.Contain("MaxFieldLength").And.Contain("1048576"));
            Assert.That(error.Message, Has.Length.LessThan(400), "the field is not echoed");
        }

        var view = await DataSource.Csv(path, new CsvOptions { MaxFieldLength = 3 << 20 }).LoadAsync(_ml);
        Assert.That(DataViewRows.Column(view, "b")[1], Has.Length.EqualTo(2 << 20), "a field within a raised limit is read whole");
    }

    [Test]
    public async Task GigabyteQuotedFieldStopsAtTheDefaultLimitWithBoundedMemory()
    {
        // A quoted field that never closes: 1.2 GB of zeros after the quote, past the one-row sample.
        var path = WriteSparse("huge-field.csv", "a,b\n1,x\n2,\""u8.ToArray(), GigabyteAndABit);
        var (error, allocated) = await RefusedAsync(() => DataSource.Csv(path, new CsvOptions { SampleRows = 1 }).LoadAsync(_ml));

        Assert.That(error.FilePath, Is.EqualTo(path));
        Assert.That(error.Row, Is.EqualTo(3));
        Assert.That(error.Column, Is.EqualTo("b"));
        Assert.That(error.Message, Does.Contain("MaxFieldLength").And.Contain((16 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(allocated, Is.LessThan(256L << 20), "memory stays within a few times the 16 MiB limit, not the 1.2 GB field");
    }

    [Test]
    public async Task HeaderPastTheConfiguredLimitNamesLineOne()
    {
        var path = Path.Combine(_temp, "wide.csv");
        File.WriteAllText(path, string.Join(',', Enumerable.Range(0, 500).Select(i => $"column{i}")) + "\n" + string.Join(',', Enumerable.Range(0, 500)) + "\n");

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Csv(path, new CsvOptions { MaxHeaderLength = 1000 }).LoadAsync(_ml));
        var view = await DataSource.Csv(path, new CsvOptions { MaxHeaderLength = 10_000 }).LoadAsync(_ml);

        Assert.That(error.FilePath, Is.EqualTo(path));
        Assert.That(error.Row, Is.EqualTo(1));
        Assert.That(error.Message, Does.Contain("MaxHeaderLength").And.Contain("1000"));
        Assert.That(view.Schema, Has.Count.EqualTo(500));
    }

    [Test]
    public async Task GigabyteHeaderLineStopsAtTheDefaultLimitWithBoundedMemory()
    {
        var path = WriteSparse("huge-header.csv", "id,name,"u8.ToArray(), GigabyteAndABit);
        var (error, allocated) = await RefusedAsync(() => DataSource.Csv(path).LoadAsync(_ml));

        Assert.That(error.FilePath, Is.EqualTo(path));
        Assert.That(error.Row, Is.EqualTo(1));
        Assert.That(error.Message, Does.Contain("MaxHeaderLength").And.Contain("1048576"));
        Assert.That(allocated, Is.LessThan(64L << 20), "memory stays within a few times the 1 MiB limit");
    }

    private const string Protocol = """{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}""";

    private const string SchemaString = "\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"Id\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":false,\\\"metadata\\\":{}}]}\"";

    private const string Metadata = """{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},"schemaString":""" + SchemaString + ""","partitionColumns":[],"configuration":{},"createdTime":1}}""";

    /// <summary>A one-file Delta table whose first commit's add action carries <paramref name="size"/> (JSON) as its size.</summary>
    private async Task<string> WriteDeltaTableAsync(string name, string size)
    {
        var table = Path.Combine(_temp, name);
        Directory.CreateDirectory(Path.Combine(table, "_delta_log"));
        var rows = await DataSource.FromObjects(new[] { new IdRow { Id = 1 }, new IdRow { Id = 2 } }).LoadAsync(_ml);
        await DataSink.WriteParquetAsync(rows, Path.Combine(table, "part-0.parquet"));
        var add = $$$"""{"add":{"path":"part-0.parquet","partitionValues":{},"size":{{{size}}},"modificationTime":1,"dataChange":true}}""";
        File.WriteAllLines(Path.Combine(table, "_delta_log", "00000000000000000000.json"), [Protocol, Metadata, add]);
        return table;
    }

    [Test]
    public async Task DeltaFieldOfTheWrongTypeNamesTheCommitLineAndField()
    {
        var good = await WriteDeltaTableAsync("good", "400");
        var bad = await WriteDeltaTableAsync("bad", "\"big\"");

        var view = await DataSource.Delta(good).LoadAsync(_ml);
        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Delta(bad).LoadAsync(_ml));

        Assert.That(DataViewRows.Column(view, "Id"), Is.EqualTo(new object[] { 1L, 2L }));
        Assert.That(error.FilePath, Is.EqualTo(Path.Combine(bad, "_delta_log", "00000000000000000000.json")));
        Assert.That(error.Row, Is.EqualTo(3));
        Assert.That(error.Message, Does.Contain("'add.size'").And.Contain("\"big\"").And.Contain("whole number"));
    }

    [TestCase("\"not json\"")]
    [TestCase("\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":5,\\\"type\\\":\\\"long\\\"}]}\"")]
    [TestCase("\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"Id\\\",\\\"type\\\":7}]}\"")]
    public async Task MalformedDeltaSchemaIsATypedError(string schemaString)
    {
        var table = await WriteDeltaTableAsync("schema", "400");
        var commit = Path.Combine(table, "_delta_log", "00000000000000000001.json");
        File.WriteAllLines(commit, [Metadata.Replace(SchemaString, schemaString, StringComparison.Ordinal)]);

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Delta(table).LoadAsync(_ml));

        Assert.That(error!.Message, Does.Contain("metaData.schemaString"));
        Assert.That(error.FilePath, Does.EndWith("_delta_log"));
    }

    [Test]
    public async Task DeltaLinePastTheConfiguredLimitNamesTheCommitAndLine()
    {
        var table = await WriteDeltaTableAsync("long-line", "400");
        var commitInfo = $$$"""{"commitInfo":{"operation":"WRITE","note":"{{{new string('n', 5000)}}}"}}""";
        File.WriteAllLines(Path.Combine(table, "_delta_log", "00000000000000000001.json"), [commitInfo]);

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Delta(table, options: new ColumnarReadOptions { MaxDeltaLogLineLength = 1000 }).LoadAsync(_ml));
        var view = await DataSource.Delta(table, options: new ColumnarReadOptions { MaxDeltaLogLineLength = 10_000 }).LoadAsync(_ml);

        Assert.That(error.FilePath, Does.EndWith("00000000000000000001.json"));
        Assert.That(error.Row, Is.EqualTo(1));
        Assert.That(error.Message, Does.Contain("MaxDeltaLogLineLength").And.Contain("1000"));
        Assert.That(view.GetRowCount(), Is.EqualTo(2));
    }

    [Test]
    public async Task GigabyteDeltaLineStopsAtTheDefaultLimitWithBoundedMemory()
    {
        var table = await WriteDeltaTableAsync("huge-line", "400");
        var commit = Path.Combine("huge-line", "_delta_log", "00000000000000000001.json");
        WriteSparse(commit, "{\"commitInfo\":{\"note\":\""u8.ToArray(), GigabyteAndABit);
        var (error, allocated) = await RefusedAsync(() => DataSource.Delta(table).LoadAsync(_ml));

        Assert.That(error.FilePath, Is.EqualTo(Path.Combine(_temp, commit)));
        Assert.That(error.Row, Is.EqualTo(1));
        Assert.That(error.Message, Does.Contain("MaxDeltaLogLineLength").And.Contain((64 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(allocated, Is.LessThan(512L << 20), "memory stays within a few times the 64 MiB limit");
    }

    private async Task<string> WriteParquetAsync(string name)
    {
        var path = Path.Combine(_temp, name);
        var rows = await DataSource.FromObjects(Enumerable.Range(0, 10).Select(i => new IdRow { Id = i })).LoadAsync(_ml);
        await DataSink.WriteParquetAsync(rows, path);
        return path;
    }

    [Test]
    public async Task ParquetFooterLongerThanTheFileNamesTheByteOffset()
    {
        var path = await WriteParquetAsync("lying.parquet");
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 8), 1_100_000_000);
        File.WriteAllBytes(path, bytes);

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Parquet(path).LoadAsync(_ml));

        Assert.That(error.FilePath, Is.EqualTo(path));
        Assert.That(error.ByteOffset, Is.EqualTo(bytes.Length - 8));
        Assert.That(error.Message, Does.Contain("1100000000").And.Contain($"only {bytes.Length}"));
    }

    [Test]
    public async Task ParquetFooterPastTheConfiguredLimitIsRefusedAndWithinItReads()
    {
        var path = await WriteParquetAsync("small.parquet");
        var bytes = File.ReadAllBytes(path);
        var footer = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 8));

        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Parquet(path, new ColumnarReadOptions { MaxParquetFooterLength = footer - 1 }).LoadAsync(_ml));
        var view = await DataSource.Parquet(path, new ColumnarReadOptions { MaxParquetFooterLength = footer }).LoadAsync(_ml);

        Assert.That(error.FilePath, Is.EqualTo(path));
        Assert.That(error.ByteOffset, Is.EqualTo(bytes.Length - 8));
        Assert.That(error.Message, Does.Contain("MaxParquetFooterLength"));
        Assert.That(view.GetRowCount(), Is.EqualTo(10));
    }

    [Test]
    public async Task GigabyteParquetFooterIsRefusedAtTheDefaultLimitBeforeAnyAllocation()
    {
        // A 1.2 GB (sparse) file whose footer length claims 1.1 GB: plausible for the file, past the 128 MiB default.
        var tail = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(tail, 1_100_000_000);
        "PAR1"u8.CopyTo(tail.AsSpan(4));
        var path = WriteSparse("huge-footer.parquet", "PAR1"u8.ToArray(), GigabyteAndABit, tail);
        var (error, allocated) = await RefusedAsync(() => DataSource.Parquet(path).LoadAsync(_ml));

        Assert.That(error.FilePath, Is.EqualTo(path));
        Assert.That(error.ByteOffset, Is.EqualTo(GigabyteAndABit - 8));
        Assert.That(error.Message, Does.Contain("1100000000").And.Contain("MaxParquetFooterLength"));
        Assert.That(allocated, Is.LessThan(16L << 20), "nothing is allocated for the claimed footer");
    }

    [Test]
    public void LimitsOutsideTheirRangeAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSource.Csv("a.csv", new CsvOptions { MaxFieldLength = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSource.Csv("a.csv", new CsvOptions { MaxHeaderLength = int.MaxValue }));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSource.Parquet("a.parquet", new ColumnarReadOptions { MaxParquetFooterLength = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSource.Delta("t", options: new ColumnarReadOptions { MaxDeltaLogLineLength = 0 }));
    }

    private sealed class IdRow
    {
        public long Id { get; set; }
    }
}
