using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Models;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Training;

namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw models predict</c> as a process: batch scoring of CSV and Parquet files, streaming within a memory limit (issue 13 point 5).</summary>
[TestFixture]
public sealed class ModelsPredictCommandTests
{
    private static readonly string[] Towns = ["north", "south", "east"];
    private TemporaryDirectory _directory = null!;
    private string _store = null!;
    private MlnetModel _model = null!;

    [OneTimeSetUp]
    public async Task TrainAsync()
    {
        _directory = new TemporaryDirectory();
        _store = _directory.Combine("mlruns");
        using var client = MlflowClient.Create(_store);
        string runUri;
        using (var trained = await Workflow.Create(3)
            .Load(new MLContext(3).Data.LoadFromEnumerable(Houses(300, 7).Select(h => new House { rooms = h.Rooms, town = h.Town, price = h.Price })))
            .Features(f => f.OneHot("town"))
            .Label("price")
            .Train(Trainers.Regression.FastTree(trees: 10))
            .Track(client, "houses")
            .RunAsync())
        {
            runUri = trained.Tracking!.ModelUri!;
        }

        var version = await client.Registry.RegisterModelAsync(runUri, "Houses");
        await client.Registry.TransitionStageAsync("Houses", version.Version, ModelVersionStage.Production);
        _model = await client.LoadMlnetModelAsync(runUri);
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task A_csv_several_times_larger_than_the_memory_limit_is_scored_into_parquet_within_it()
    {
        // 100 MB of managed heap for the whole process; the input is 3.5 times that and could never be held in it.
        const long HeapLimit = 100L * 1024 * 1024;
        var input = _directory.Combine("big.csv");
        var rows = WriteCsv(input, targetBytes: HeapLimit * 7 / 2);
        Assert.That(new FileInfo(input).Length, Is.GreaterThan(3 * HeapLimit));
        var output = _directory.Combine("big-scored.parquet");

        var result = await Mlw.RunAsync(_directory.Path, new Dictionary<string, string?>
        {
            ["DOTNET_GCHeapHardLimit"] = HeapLimit.ToString("X", CultureInfo.InvariantCulture),
            ["DOTNET_gcServer"] = "0",
        }, "models", "predict", "-m", "models:/Houses/Production", "--tracking-uri", _store, "-i", input, "-o", output, "--verbose");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain($"Scored {rows.ToString("N0", CultureInfo.InvariantCulture)} rows").And.Contain("(version 1)"), result.ToString());

        // Redirected stderr gets no progress line at all.
        Assert.That(result.Stderr, Is.Empty, result.ToString());
        var (count, firstRows) = await ReadParquetAsync(output, 5);
        Assert.That(count, Is.EqualTo(rows));
        var expected = Expected(Houses(5, 11));
        Assert.That(firstRows.Select(r => r.Rooms), Is.EqualTo(Houses(5, 11).Select(h => h.Rooms)));
        Assert.That(firstRows.Select(r => r.Town), Is.EqualTo(Houses(5, 11).Select(h => h.Town)));
        Assert.That(firstRows.Select(r => r.Prediction), Is.EqualTo(expected).Within(1e-4));
    }

    [Test]
    public async Task Csv_out_with_keep_columns_none_holds_the_predictions_alone()
    {
        var input = _directory.Combine("small.csv");
        WriteCsv(input, targetBytes: 2_000);
        var output = _directory.Combine("small-scored.csv");
        var result = await Mlw.RunAsync(_directory.Path, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = _store }, "models", "predict", "-m", "models:/Houses/1", "-i", input, "-o", output, "--keep-columns", "none", "--prediction-column", "price_hat");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = await File.ReadAllLinesAsync(output);
        Assert.That(lines[0], Is.EqualTo("price_hat"));
        var predictions = lines.Skip(1).Take(5).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Assert.That(predictions, Is.EqualTo(Expected(Houses(5, 11))).Within(1e-4));
    }

    [Test]
    public async Task A_missing_column_is_named_and_nothing_is_written()
    {
        var input = _directory.Combine("no-town.csv");
        await File.WriteAllTextAsync(input, "rooms,note\n3,a\n4,b\n");
        var output = _directory.Combine("no-town-scored.parquet");
        var result = await Mlw.RunAsync(_directory.Path, null, "models", "predict", "-m", "models:/Houses/Production", "--tracking-uri", _store, "-i", input, "-o", output);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), result.ToString());
            Assert.That(result.Stderr, Does.StartWith("mlw: ").And.Contain("lacks column ['town']"), result.ToString());
            Assert.That(File.Exists(output), Is.False);
        });
    }

    [Test]
    public async Task Text_where_the_model_needs_a_number_is_refused_naming_the_column()
    {
        var input = _directory.Combine("text-rooms.csv");
        await File.WriteAllTextAsync(input, "rooms,town\nthree,north\nfour,south\n");
        var result = await Mlw.RunAsync(_directory.Path, null, "models", "predict", "-m", "models:/Houses/Production", "--tracking-uri", _store, "-i", input, "-o", _directory.Combine("text-rooms.csv.parquet"));
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Stderr, Does.StartWith("mlw: ").And.Contain("Column 'rooms' holds text values").And.Contain("float"), result.ToString());
        });
    }

    [TestCase("in.json", "out.parquet", "neither a .csv nor a .parquet")]
    [TestCase("missing.csv", "out.parquet", "is not a file")]
    [TestCase("small-ok.csv", "out.txt", "neither a .csv nor a .parquet file")]
    [TestCase("small-ok.csv", "no-such-folder/out.csv", "does not exist")]
    public async Task Bad_paths_are_usage_errors(string input, string output, string message)
    {
        await File.WriteAllTextAsync(_directory.Combine("small-ok.csv"), "rooms,town\n3,north\n");
        await File.WriteAllTextAsync(_directory.Combine("in.json"), "{}");
        var result = await Mlw.RunAsync(_directory.Path, null, "models", "predict", "-m", "models:/Houses/Production", "--tracking-uri", _store, "-i", input, "-o", output);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.StartWith("mlw: ").And.Contain(message), result.ToString());
        });
    }

    private double[] Expected(IEnumerable<(int Rooms, string Town, float Price)> houses) =>
        _model.Predict<HouseInput, ScorePrediction>(houses.Select(h => new HouseInput { rooms = h.Rooms, town = h.Town })).Select(p => (double)p.Score).ToArray();

    /// <summary>Writes generated houses (rooms, town, a note to make rows wide) until the file reaches the size; returns the rows written. The first rows are <c>Houses(n, 11)</c>.</summary>
    private static long WriteCsv(string path, long targetBytes)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("rooms,town,note\n");
        var note = new string('x', 60);
        long rows = 0;
        foreach (var house in Houses(int.MaxValue, 11))
        {
            writer.Write(house.Rooms.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(house.Town);
            writer.Write(',');
            writer.Write(note);
            writer.Write('\n');
            rows++;
            if ((rows & 0x3FF) == 0 && writer.BaseStream.Position >= targetBytes)
            {
                break;
            }
        }

        return rows;
    }

    private static async Task<(long Count, List<(float Rooms, string Town, float Prediction)> First)> ReadParquetAsync(string path, int first)
    {
        var view = await DataSource.Parquet(path).LoadAsync(new MLContext(1));
        var columns = view.Schema;
        Assert.That(columns.Select(c => c.Name), Is.EqualTo(new[] { "rooms", "town", "note", "prediction" }));
        using var cursor = view.GetRowCursor(new[] { columns["rooms"], columns["town"], columns["prediction"] });
        var rooms = cursor.GetGetter<int>(columns["rooms"]);
        var town = cursor.GetGetter<ReadOnlyMemory<char>>(columns["town"]);
        var prediction = cursor.GetGetter<float>(columns["prediction"]);
        var rows = new List<(float, string, float)>();
        long count = 0;
        while (cursor.MoveNext())
        {
            if (count++ < first)
            {
                int r = 0;
                ReadOnlyMemory<char> t = default;
                float p = 0;
                rooms(ref r);
                town(ref t);
                prediction(ref p);
                rows.Add((r, t.ToString(), p));
            }
        }

        return (count, rows);
    }

    private static IEnumerable<(int Rooms, string Town, float Price)> Houses(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var rooms = random.Next(1, 8);
            var town = Towns[random.Next(Towns.Length)];
            yield return (rooms, town, (rooms * 50) + (town == "south" ? 80 : 0) + (float)(random.NextDouble() * 10));
        }
    }

#pragma warning disable IDE1006, SA1300, CA1812 // Column names as a data set writes them; made by ML.NET.
    private sealed class House
    {
        public float rooms { get; set; }

        public string town { get; set; } = string.Empty;

        public float price { get; set; }
    }

    private sealed class HouseInput
    {
        public float rooms { get; set; }

        public string town { get; set; } = string.Empty;
    }

    private sealed class ScorePrediction
    {
        public float Score { get; set; }
    }
#pragma warning restore IDE1006, SA1300, CA1812
}
