using Microsoft.ML;

namespace MlWorkflow.Data;

/// <summary>Saves any <see cref="IDataView"/> (training data, predictions, …) as Parquet or CSV.</summary>
/// <remarks>Every visible column is written. A known-size vector column (such as a multiclass <c>Score</c>) becomes one column per
/// slot, named <c>Score.0</c>, <c>Score.1</c>, …; variable-size vectors are refused. <c>DateTimeOffset</c> values are written in UTC.</remarks>
public static class DataSink
{
    /// <summary>Writes the view as a Parquet file (Snappy-compressed), <paramref name="rowGroupSize"/> rows per row group.
    /// Values are written as they are, so reading the file back gives the same values (NaN included).</summary>
    /// <param name="data">The rows.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="rowGroupSize">Rows per row group. The default value is 100,000.</param>
    /// <param name="cancellationToken">Cancels the write; the partial file is deleted.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="DataSourceException">A column cannot be written.</exception>
    public static Task WriteParquetAsync(IDataView data, string path, int rowGroupSize = 100_000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        return Writing.ParquetDataWriter.WriteAsync(data, Path.GetFullPath(path), rowGroupSize, cancellationToken);
    }

    /// <summary>Writes the view as CSV (UTF-8, header row, RFC 4180 quoting, culture-invariant round-trippable numbers; NaN and
    /// missing values as empty fields, dates in ISO 8601).</summary>
    /// <param name="data">The rows.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="separator">The field separator. The default value is <c>','</c>.</param>
    /// <param name="cancellationToken">Cancels the write; the partial file is deleted.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="DataSourceException">A column cannot be written.</exception>
    public static Task WriteCsvAsync(IDataView data, string path, char separator = ',', CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Writing.CsvDataWriter.WriteAsync(data, Path.GetFullPath(path), separator, cancellationToken);
    }
}
