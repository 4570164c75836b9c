using Microsoft.ML;
using MlWorkflow.Data.Arrow;
using MlWorkflow.Data.Csv;
using MlWorkflow.Data.Delta;
using MlWorkflow.Data.Objects;
using MlWorkflow.Data.Parquet;

namespace MlWorkflow.Data;

/// <summary>The ways in: one call per format, each returning an <see cref="IDataSource"/> whose <c>LoadAsync</c> gives an ML.NET view.</summary>
/// <example><code>
/// var data = await DataSource.Parquet("data/sales").LoadAsync(mlContext);
/// var table = await DataSource.Delta("/lake/silver/sales", version: 12).LoadAsync(mlContext);
/// </code></example>
public static class DataSource
{
    /// <summary>A CSV file: header, separator, RFC 4180 quoting, culture-invariant numbers, column types inferred from a sample
    /// (see <see cref="CsvOptions"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Parsing and typing options; <see langword="null"/> for the defaults.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit of <paramref name="options"/> is outside 1 byte to 1 GiB.</exception>
    public static IDataSource Csv(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new CsvOptions();
        CheckLimit(options.MaxFieldLength, CsvOptions.LargestLimit, "CsvOptions.MaxFieldLength");
        CheckLimit(options.MaxHeaderLength, CsvOptions.LargestLimit, "CsvOptions.MaxHeaderLength");
        return new CsvDataSource(path, options);
    }

    /// <summary>A Parquet file, a folder of part files (every <c>*.parquet</c> below it, skipping <c>_</c>/<c>.</c> names), or a
    /// glob such as <c>data/part-*.parquet</c>; read row group by row group, only the columns a pipeline asks for. All files
    /// must have the same schema. Types map as <see cref="ColumnarReadOptions"/> documents.</summary>
    /// <param name="path">The file, folder or glob.</param>
    /// <param name="options">Null and unsupported-type handling; <see langword="null"/> for the defaults.</param>
    /// <returns>The source.</returns>
    public static IDataSource Parquet(string path, ColumnarReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckLimits(options);
        return new ParquetDataSource(path, options ?? ColumnarReadOptions.Default);
    }

    /// <summary>An Arrow IPC file (<c>ARROW1</c>) or stream, read record batch by record batch, with the Parquet type mapping.</summary>
    /// <param name="path">The file (either IPC format; the magic bytes decide).</param>
    /// <param name="options">Null and unsupported-type handling; <see langword="null"/> for the defaults.</param>
    /// <returns>The source.</returns>
    public static IDataSource Arrow(string path, ColumnarReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new ArrowDataSource(path, null, options ?? ColumnarReadOptions.Default);
    }

    /// <summary>Arrow IPC data (file or stream format) from a stream. The stream is read to its end into memory when the source
    /// loads (a view can be read more than once); use the path overload to stream from disk.</summary>
    /// <param name="stream">The stream; it is not disposed.</param>
    /// <param name="name">The dataset name.</param>
    /// <param name="options">Null and unsupported-type handling; <see langword="null"/> for the defaults.</param>
    /// <returns>The source.</returns>
    public static IDataSource Arrow(Stream stream, string name = "arrow", ColumnarReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ArrowDataSource(name, stream, options ?? ColumnarReadOptions.Default);
    }

    /// <summary>A Delta Lake table at its latest version or at <paramref name="version"/>: the snapshot is computed from
    /// <c>_delta_log</c> (JSON commits, Parquet checkpoints, <c>_last_checkpoint</c>), partition columns come from the log,
    /// and the data files are read with the Parquet reader. Tables needing a reader feature this reader does not support
    /// (deletion vectors, column mapping, …) are refused with a <see cref="DataSourceException"/> naming the feature.</summary>
    /// <param name="path">The table folder (the one holding <c>_delta_log</c>).</param>
    /// <param name="version">The version to read; <see langword="null"/> for the latest.</param>
    /// <param name="options">Null and unsupported-type handling; <see langword="null"/> for the defaults.</param>
    /// <returns>The source.</returns>
    public static IDataSource Delta(string path, long? version = null, ColumnarReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckLimits(options);
        if (version < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "A Delta version is 0 or more.");
        }

        return new DeltaDataSource(path, version, null, options ?? ColumnarReadOptions.Default);
    }

    /// <summary>A Delta Lake table as it was at <paramref name="asOf"/>: the newest version whose commit timestamp
    /// (<c>commitInfo.inCommitTimestamp</c>, else <c>commitInfo.timestamp</c>, else the commit file's modification time)
    /// is at or before it.</summary>
    /// <param name="path">The table folder.</param>
    /// <param name="asOf">The point in time.</param>
    /// <param name="options">Null and unsupported-type handling; <see langword="null"/> for the defaults.</param>
    /// <returns>The source.</returns>
    public static IDataSource Delta(string path, DateTimeOffset asOf, ColumnarReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckLimits(options);
        return new DeltaDataSource(path, null, asOf, options ?? ColumnarReadOptions.Default);
    }

    /// <summary>In-memory objects: public fields and properties become columns (ML.NET's <c>LoadFromEnumerable</c> rules,
    /// including <c>[ColumnName]</c> and <c>[VectorType]</c>). The sequence is enumerated by each cursor.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="items">The rows.</param>
    /// <param name="name">The dataset name.</param>
    /// <returns>The source.</returns>
    public static IDataSource FromObjects<T>(IEnumerable<T> items, string name = "objects")
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ObjectDataSource<T>(items, name);
    }

    /// <summary>An existing view, such as predictions, so that it can be described and tracked like any other source.</summary>
    /// <param name="view">The view.</param>
    /// <param name="name">The dataset name.</param>
    /// <returns>The source.</returns>
    public static IDataSource FromDataView(IDataView view, string name = "dataview")
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new DataViewDataSource(view, name);
    }

    private static void CheckLimits(ColumnarReadOptions? options)
    {
        if (options is not null)
        {
            CheckLimit(options.MaxParquetFooterLength, ColumnarReadOptions.LargestLimit, "ColumnarReadOptions.MaxParquetFooterLength");
            CheckLimit(options.MaxDeltaLogLineLength, ColumnarReadOptions.LargestLimit, "ColumnarReadOptions.MaxDeltaLogLineLength");
        }
    }

    private static void CheckLimit(long value, long largest, string name)
    {
        if (value < 1 || value > largest)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is a number of bytes from 1 to {largest}.");
        }
    }
}
