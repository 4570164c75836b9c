using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Data;
using MlWorkflow.Data.Csv;
using MlWorkflow.Data.Parquet;
using Parquet;
using Parquet.Schema;

namespace MlWorkflow.Benchmarks.Data;

/// <summary>Scans a generated 1,000,000-row × 10-column table (4 ints, 4 doubles, 2 strings) through our sources and through the
/// libraries underneath: Parquet.Net reading the same columns, and ML.NET's own TextLoader on the same CSV. Both Parquet sides
/// open the file the same way (<see cref="ParquetFiles.OpenSync"/>: a synchronous <see cref="FileStream"/> with a 64 KB buffer),
/// so the ratio compares the decoding and the cursor, not two kinds of stream.</summary>
/// <param name="parquetOnly">Whether to stop after the Parquet figures (suite <c>data-parquet</c>).</param>
internal sealed class DataSuite(bool parquetOnly = false) : IBenchmarkSuite
{
    private const int Rows = 1_000_000;
    private const int RowGroupRows = 100_000;
    private const int Runs = 3;
    private const int InterleavedRuns = 5;

    public string Name => parquetOnly ? "data-parquet" : "data";

    public string Description => parquetOnly
        ? "the data suite's Parquet figures alone: 1M x 10 Parquet, our IDataView pass vs Parquet.Net on the same stream kind"
        : "1M x 10 Parquet and CSV: our IDataView pass vs Parquet.Net and ML.NET TextLoader, peak working set";

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var parquet = Path.Combine(report.WorkDirectory, "table.parquet");
        var csv = Path.Combine(report.WorkDirectory, "table.csv");
        FigureReport.Note("generating 1,000,000 rows as Parquet and CSV…");
        await GenerateAsync(parquet, csv, cancellationToken);
        report.Add("parquet_file_mb", new FileInfo(parquet).Length / 1048576.0);
        report.Add("csv_file_mb", new FileInfo(csv).Length / 1048576.0);
        var ml = new MLContext(seed: 1);

        var library = await BestAsync(() => ParquetNetPassAsync(parquet, ownStream: false, cancellationToken));
        report.Add("parquet_net_read_s", library);

        // For reference only: Parquet.Net opening the file its own way (ParquetReader.CreateAsync(path)), the earlier baseline.
        report.Add("parquet_net_own_stream_read_s", await BestAsync(() => ParquetNetPassAsync(parquet, ownStream: true, cancellationToken)));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using (var self = Process.GetCurrentProcess())
        {
            report.Add("parquet_scan_baseline_mb", self.WorkingSet64 / 1048576.0);
        }

        long peak = 0;
        var ours = await BestAsync(async () =>
        {
            var view = await DataSource.Parquet(parquet).LoadAsync(ml, cancellationToken);
            peak = Math.Max(peak, await WithPeakWorkingSetAsync(() => Scan(view)));
        });
        report.Add("parquet_scan_s", ours);
        report.Add("parquet_scan_ratio", ours / library);
        report.Add("parquet_scan_peak_mb", peak / 1048576.0);
        report.Add("table_in_memory_mb", (Rows * ((4 * 4) + (4 * 8) + (2 * 40))) / 1048576.0);
        if (parquetOnly)
        {
            return;
        }

        // The CSV passes are timed in turn within each round, so that a change in the machine's load hits all of them alike:
        // ML.NET's TextLoader as a user would call it, our source, our source without the check, TextLoader with our source's options.
        var csvTimes = await BestInterleavedAsync(
            () =>
            {
                var loader = ml.Data.CreateTextLoader(
                    [
                        .. Enumerable.Range(0, 4).Select(i => new TextLoader.Column($"i{i}", DataKind.Int32, i)),
                        .. Enumerable.Range(0, 4).Select(i => new TextLoader.Column($"d{i}", DataKind.Double, 4 + i)),
                        .. Enumerable.Range(0, 2).Select(i => new TextLoader.Column($"s{i}", DataKind.String, 8 + i)),
                    ],
                    separatorChar: ',',
                    hasHeader: true,
                    allowQuoting: true);
                Scan(loader.Load(csv));
                return Task.CompletedTask;
            },
            async () => Scan(await DataSource.Csv(csv).LoadAsync(ml, cancellationToken)),
            async () => Scan(await DataSource.Csv(csv, new CsvOptions { Validate = false }).LoadAsync(ml, cancellationToken)),
            () =>
            {
                // TextLoader with exactly the options our source passes it for this file, so that the ratio to it is the check's cost alone.
                var loader = ml.Data.CreateTextLoader(new TextLoader.Options
                {
                    Separators = [','],
                    HasHeader = true,
                    AllowQuoting = true,
                    ReadMultilines = false,
                    MissingRealsAsNaNs = true,
                    TrimWhitespace = false,
                    Columns =
                    [
                        .. Enumerable.Range(0, 4).Select(i => new TextLoader.Column($"i{i}", DataKind.Int32, i)),
                        .. Enumerable.Range(0, 4).Select(i => new TextLoader.Column($"d{i}", DataKind.Double, 4 + i)),
                        .. Enumerable.Range(0, 2).Select(i => new TextLoader.Column($"s{i}", DataKind.String, 8 + i)),
                    ],
                });
                Scan(loader.Load(csv));
                return Task.CompletedTask;
            });
        var (times, processor) = csvTimes;
        var textLoader = times[0];
        report.Add("textloader_pass_s", textLoader);
        report.Add("csv_load_s", times[1]);
        report.Add("csv_load_ratio", times[1] / textLoader);
        report.Add("csv_load_unvalidated_s", times[2]);
        report.Add("csv_load_unvalidated_ratio", times[2] / textLoader);
        report.Add("textloader_our_options_pass_s", times[3]);
        report.Add("csv_load_vs_our_options_ratio", times[1] / times[3]);
        report.Add("textloader_pass_cpu_s", processor[0]);
        report.Add("csv_load_cpu_s", processor[1]);
        report.Add("csv_load_cpu_ratio", processor[1] / processor[0]);
        report.Add("textloader_our_options_pass_cpu_s", processor[3]);
        report.Add("csv_load_vs_our_options_cpu_ratio", processor[1] / processor[3]);

        // The parts of our load before the TextLoader pass: inference on the sample, then the whole-file check.
        var options = new CsvOptions();
        var columns = await CsvSchemaInference.InferAsync(csv, options, cancellationToken);
        report.Add("csv_infer_s", await BestAsync(() => CsvSchemaInference.InferAsync(csv, options, cancellationToken)));
        var check = await BestAsync(() => CsvValidator.ValidateAsync(csv, columns, options, cancellationToken));
        report.Add("csv_check_s", check);
        report.Add("csv_check_single_thread_s", await BestAsync(() => CsvValidator.ValidateAsync(csv, columns, options, chunks: 1, cancellationToken)));
        report.Add("csv_check_vs_textloader", check / textLoader);
    }

    /// <summary>The fastest of <see cref="InterleavedRuns"/> timed runs of each of <paramref name="runs"/>, taken in turn, after one
    /// warm-up run of each: elapsed seconds, and the process's processor seconds (all threads), which a loaded machine disturbs less.</summary>
    private static async Task<(double[] Elapsed, double[] Processor)> BestInterleavedAsync(params Func<Task>[] runs)
    {
        foreach (var run in runs)
        {
            await run();
        }

        var elapsed = runs.Select(_ => double.MaxValue).ToArray();
        var processor = runs.Select(_ => double.MaxValue).ToArray();
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i < InterleavedRuns; i++)
        {
            for (var r = 0; r < runs.Length; r++)
            {
                self.Refresh();
                var cpu = self.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                await runs[r]();
                elapsed[r] = Math.Min(elapsed[r], watch.Elapsed.TotalSeconds);
                self.Refresh();
                processor[r] = Math.Min(processor[r], (self.TotalProcessorTime - cpu).TotalSeconds);
            }
        }

        return (elapsed, processor);
    }

    /// <summary>The fastest of <see cref="Runs"/> timed runs after one warm-up run.</summary>
    private static async Task<double> BestAsync(Func<Task> run)
    {
        await run();
        var best = double.MaxValue;
        for (var i = 0; i < Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return best;
    }

    private static async Task<long> WithPeakWorkingSetAsync(Action action)
    {
        using var process = Process.GetCurrentProcess();
        long peak = 0;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(5);
            }
        });
        action();
        await done.CancelAsync();
        await sampler;
        return peak;
    }

    /// <summary>One full cursor pass reading every column of every row through typed getters.</summary>
    private static void Scan(IDataView view)
    {
        var schema = view.Schema;
        using var cursor = view.GetRowCursor(schema);
        var ints = schema.Where(c => c.Type.RawType == typeof(int)).Select(cursor.GetGetter<int>).ToArray();
        var doubles = schema.Where(c => c.Type.RawType == typeof(double)).Select(cursor.GetGetter<double>).ToArray();
        var texts = schema.Where(c => c.Type.RawType == typeof(ReadOnlyMemory<char>)).Select(cursor.GetGetter<ReadOnlyMemory<char>>).ToArray();
        if (ints.Length + doubles.Length + texts.Length != 10)
        {
            throw new InvalidOperationException($"Expected 10 int, double and text columns, found {ints.Length}, {doubles.Length}, {texts.Length}.");
        }

        long sum = 0;
        double total = 0;
        int i = 0;
        double d = 0;
        ReadOnlyMemory<char> s = default;
        long rows = 0;
        while (cursor.MoveNext())
        {
            foreach (var getter in ints)
            {
                getter(ref i);
                sum += i;
            }

            foreach (var getter in doubles)
            {
                getter(ref d);
                total += d;
            }

            foreach (var getter in texts)
            {
                getter(ref s);
                sum += s.Length;
            }

            rows++;
        }

        if (rows != Rows || sum == 0 || total == 0)
        {
            throw new InvalidOperationException($"The pass saw {rows} rows.");
        }
    }

    /// <summary>What Parquet.Net itself costs: every column of every row group read into arrays, the file opened exactly as our
    /// cursor opens it (same stream kind and buffer), so the two sides differ only in what is done above the stream; or, with
    /// <paramref name="ownStream"/>, opened by Parquet.Net's own <c>CreateAsync(path)</c>.</summary>
    private static async Task ParquetNetPassAsync(string path, bool ownStream, CancellationToken cancellationToken)
    {
        await using var reader = ownStream
            ? await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken)
            : ParquetFiles.OpenSync(path, ColumnarReadOptions.Default.MaxParquetFooterLength);
        var fields = reader.Schema.DataFields;
        var ints = new int[RowGroupRows];
        var doubles = new double[RowGroupRows];
        var texts = new ReadOnlyMemory<char>[RowGroupRows];
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            foreach (var field in fields)
            {
                if (field.ClrType == typeof(int))
                {
                    await group.ReadRawAsync(field, ints.AsMemory(0, count), null, null, cancellationToken);
                }
                else if (field.ClrType == typeof(double))
                {
                    await group.ReadRawAsync(field, doubles.AsMemory(0, count), null, null, cancellationToken);
                }
                else
                {
                    await group.ReadRawAsync(field, texts.AsMemory(0, count), null, null, cancellationToken);
                }
            }

            rows += count;
        }

        if (rows != Rows)
        {
            throw new InvalidOperationException($"Parquet.Net read {rows} rows.");
        }
    }

    private static async Task GenerateAsync(string parquet, string csv, CancellationToken cancellationToken)
    {
        var random = new Random(42);
        var cities = Enumerable.Range(0, 500).Select(i => $"city-{i:D3}").ToArray();
        var intFields = Enumerable.Range(0, 4).Select(i => new DataField<int>($"i{i}")).ToArray();
        var doubleFields = Enumerable.Range(0, 4).Select(i => new DataField<double>($"d{i}")).ToArray();
        var textFields = Enumerable.Range(0, 2).Select(i => new DataField<string>($"s{i}", false)).ToArray();
        var schema = new ParquetSchema([.. intFields, .. doubleFields, .. textFields]);
        await using var csvWriter = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 16);
        await csvWriter.WriteLineAsync(string.Join(',', schema.DataFields.Select(f => f.Name)));
        await using var stream = File.Create(parquet);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken);
        var ints = Enumerable.Range(0, 4).Select(_ => new int[RowGroupRows]).ToArray();
        var doubles = Enumerable.Range(0, 4).Select(_ => new double[RowGroupRows]).ToArray();
        var texts = Enumerable.Range(0, 2).Select(_ => new string[RowGroupRows]).ToArray();
        var line = new StringBuilder();
        for (var start = 0; start < Rows; start += RowGroupRows)
        {
            for (var r = 0; r < RowGroupRows; r++)
            {
                line.Clear();
                for (var c = 0; c < 4; c++)
                {
                    ints[c][r] = random.Next(-1_000_000, 1_000_000);
                    line.Append(ints[c][r].ToString(CultureInfo.InvariantCulture)).Append(',');
                }

                for (var c = 0; c < 4; c++)
                {
                    doubles[c][r] = Math.Round(random.NextDouble() * 1000, 4);
                    line.Append(doubles[c][r].ToString("R", CultureInfo.InvariantCulture)).Append(',');
                }

                texts[0][r] = cities[random.Next(cities.Length)];
                texts[1][r] = $"note {random.Next(100_000)} for row {start + r}";
                line.Append(texts[0][r]).Append(',').Append(texts[1][r]);
                await csvWriter.WriteLineAsync(line, cancellationToken);
            }

            using var group = writer.CreateRowGroup();
            for (var c = 0; c < 4; c++)
            {
                await group.WriteAsync<int>(intFields[c], ints[c], null, null, cancellationToken);
            }

            for (var c = 0; c < 4; c++)
            {
                await group.WriteAsync<double>(doubleFields[c], doubles[c], null, null, cancellationToken);
            }

            for (var c = 0; c < 2; c++)
            {
                await group.WriteAsync(textFields[c], texts[c], null);
            }
        }
    }
}
