using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;

namespace MlWorkflow.Tests.Data;

/// <summary>Every Arrow file of formats/MANIFEST.md in both IPC formats: read with the rows and columns of its integration JSON,
/// or rejected with a <see cref="DataSourceException"/>.</summary>
public class ArrowManifestTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static string Golden(string name) => DataViewRows.TestData("formats", "arrow", "integration", "cpp-21.0.0", name);

    private static readonly ColumnarReadOptions Skip = new() { UnsupportedColumns = UnsupportedColumnPolicy.Skip };

    [TestCase("generated_primitive", 22, 37)]
    [TestCase("generated_primitive_no_batches", 22, 0)]
    [TestCase("generated_primitive_zerolength", 22, 0)]
    [TestCase("generated_dictionary", 3, 17)]
    [TestCase("generated_datetime", 15, 17)]
    [TestCase("generated_decimal", 36, 17)]
    [TestCase("generated_custom_metadata", 4, 1)]
    public async Task FileAndStreamFormatsReadEveryRow(string name, int columns, int rows)
    {
        foreach (var extension in new[] { ".arrow_file", ".stream" })
        {
            var view = await DataSource.Arrow(Golden(name + extension)).LoadAsync(_ml);

            Assert.That(view.Schema, Has.Count.EqualTo(columns), extension);
            Assert.That(DataViewRows.Count(view), Is.EqualTo(rows), extension);
        }
    }

    [Test]
    public async Task PrimitiveValuesMatchTheIntegrationJson()
    {
        var json = ReadJson("generated_primitive");
        var expected = json["batches"]!.AsArray().SelectMany(b => b!["columns"]!.AsArray().First(c => (string?)c!["name"] == "int32_nullable")!["DATA"]!.AsArray()
            .Zip(b["columns"]!.AsArray().First(c => (string?)c!["name"] == "int32_nullable")!["VALIDITY"]!.AsArray(), (v, ok) => (int)ok! == 1 ? (int)v! : 0)).ToList();
        await using var stream = File.OpenRead(Golden("generated_primitive.stream"));

        var view = await DataSource.Arrow(stream, "primitive").LoadAsync(_ml);

        Assert.That(view.Schema["int32_nullable"].Type, Is.EqualTo(NumberDataViewType.Int32));
        Assert.That(DataViewRows.Column(view, "int32_nullable"), Is.EqualTo(expected.Cast<object>()));
    }

    [Test]
    public async Task ListsBecomeVectorsAndStructsAreSkippedOnRequest()
    {
        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Arrow(Golden("generated_nested.arrow_file")).LoadAsync(_ml));
        Assert.That(error!.Column, Is.EqualTo("struct_nullable"));

        var view = await DataSource.Arrow(Golden("generated_nested.arrow_file"), Skip).LoadAsync(_ml);
        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { "list_nullable", "fixedsizelist_nullable" }));
        Assert.That(view.Schema["list_nullable"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Int32)));
        Assert.That(DataViewRows.Count(view), Is.EqualTo(17));
    }

    [TestCase("generated_null", "f0", 2, 10)]
    [TestCase("generated_map", "map_nullable", 0, 17)]
    [TestCase("generated_union", "sparse_1", 0, 11)]
    public async Task UnmappableTypesAreRejectedNamingTheColumn(string name, string column, int kept, int rows)
    {
        var error = await Assert.ThrowsAsync<DataSourceException>(() => DataSource.Arrow(Golden(name + ".stream")).LoadAsync(_ml));
        Assert.That(error!.Column, Is.EqualTo(column));

        var view = await DataSource.Arrow(Golden(name + ".stream"), Skip).LoadAsync(_ml);
        Assert.That(view.Schema, Has.Count.EqualTo(kept));
        if (kept > 0)
        {
            Assert.That(DataViewRows.Count(view), Is.EqualTo(rows));
        }
    }

    [TestCase("2.0.0-compression", "generated_zstd.arrow_file")]
    [TestCase("2.0.0-compression", "generated_zstd.stream")]
    [TestCase("2.0.0-compression", "generated_lz4.arrow_file")]
    [TestCase("2.0.0-compression", "generated_lz4.stream")]
    [TestCase("1.0.0-bigendian", "generated_primitive.arrow_file")]
    public async Task CompressedAndBigEndianFilesAreRejectedNamingTheBatch(string folder, string name)
    {
        var view = await DataSource.Arrow(DataViewRows.TestData("formats", "arrow", "integration", folder, name), Skip).LoadAsync(_ml);

        var error = Assert.Throws<DataSourceException>(() => DataViewRows.Count(view));
        Assert.That(error!.RowGroup, Is.Zero);
        Assert.That(error.FilePath, Does.EndWith(name));
    }

    [TestCase("arrow-ipc-file", "clusterfuzz-testcase-minimized-arrow-ipc-file-fuzz-5700577531265024")]
    [TestCase("arrow-ipc-file", "clusterfuzz-testcase-minimized-arrow-ipc-file-fuzz-5657400208261120")]
    [TestCase("arrow-ipc-stream", "crash-09f72ba2a52b80366ab676364abec850fc668168")]
    [TestCase("arrow-ipc-stream", "clusterfuzz-testcase-minimized-arrow-ipc-stream-fuzz-4889687236018176")]
    public void FuzzedFilesAreRejected(string folder, string name)
    {
        var path = DataViewRows.TestData("formats", "arrow", "fuzz", folder, name);

        Assert.That(async () => DataViewRows.Count(await DataSource.Arrow(path).LoadAsync(_ml)), Throws.InstanceOf<DataSourceException>());
    }

    private static JsonNode ReadJson(string name)
    {
        using var gzip = new GZipStream(File.OpenRead(Golden(name + ".json.gz")), CompressionMode.Decompress);
        return JsonNode.Parse(gzip)!;
    }
}
