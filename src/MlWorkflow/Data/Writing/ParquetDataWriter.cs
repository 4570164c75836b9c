using System.Reflection;
using Microsoft.ML;
using Parquet;
using Parquet.Schema;

namespace MlWorkflow.Data.Writing;

/// <summary>Writes a view to Parquet, one row group at a time, each column collected into a typed array.</summary>
internal static class ParquetDataWriter
{
    public static async Task WriteAsync(IDataView data, string path, int rowGroupSize, CancellationToken cancellationToken)
    {
        var outputs = OutputColumn.From(data.Schema, path);
        var temporary = path + ".partial";
        try
        {
            using var cursor = data.GetRowCursor(outputs.Select(o => o.Source).Distinct());
            var collectors = outputs.Select(o => ColumnCollector.Create(o, cursor, rowGroupSize, path)).ToList();
            var schema = new ParquetSchema(collectors.Select(c => (Field)c.Field));
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await using (var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var more = true;
                var wroteAny = false;
                while (more)
                {
                    var rows = 0;
                    while (rows < rowGroupSize && (more = cursor.MoveNext()))
                    {
                        foreach (var collector in collectors)
                        {
                            collector.Collect(rows);
                        }

                        rows++;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    if (rows == 0 && wroteAny)
                    {
                        break;
                    }

                    using var group = writer.CreateRowGroup();
                    foreach (var collector in collectors)
                    {
                        await collector.WriteAsync(group, rows, cancellationToken).ConfigureAwait(false);
                    }

                    wroteAny = true;
                }
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Collects one column's values for a row group.</summary>
    private abstract class ColumnCollector
    {
        public abstract DataField Field { get; }

        public abstract void Collect(int row);

        public abstract Task WriteAsync(ParquetRowGroupWriter group, int rows, CancellationToken cancellationToken);

        public static ColumnCollector Create(OutputColumn output, DataViewRowCursor cursor, int capacity, string path)
        {
            var type = output.ValueType;
            var collector = type == typeof(ReadOnlyMemory<char>) ? typeof(TextCollector)
                : type == typeof(DateTimeOffset) ? typeof(DateTimeOffsetCollector)
                : type == typeof(bool) || type == typeof(sbyte) || type == typeof(byte) || type == typeof(short) || type == typeof(ushort)
                    || type == typeof(int) || type == typeof(uint) || type == typeof(long) || type == typeof(ulong) || type == typeof(float)
                    || type == typeof(double) || type == typeof(DateTime) || type == typeof(TimeSpan)
                    ? typeof(ValueCollector<>).MakeGenericType(type)
                    : throw new DataSourceException($"Column '{output.Name}' is {type.Name}, which cannot be written to Parquet", path, column: output.Name);
            return (ColumnCollector)Activator.CreateInstance(collector, BindingFlags.Public | BindingFlags.Instance, null, [output, cursor, capacity], null)!;
        }
    }

    private sealed class ValueCollector<T>(OutputColumn output, DataViewRowCursor cursor, int capacity) : ColumnCollector
        where T : struct
    {
        private readonly Func<T> _read = output.Reader<T>(cursor);
        private readonly T[] _values = new T[capacity];

        public override DataField Field { get; } = typeof(T) == typeof(DateTime)
            ? new DateTimeDataField(output.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: false)
            : new DataField(output.Name, typeof(T), isNullable: false);

        public override void Collect(int row) => _values[row] = _read();

        public override Task WriteAsync(ParquetRowGroupWriter group, int rows, CancellationToken cancellationToken) =>
            group.WriteAsync(Field, new ReadOnlyMemory<T>(_values, 0, rows), null, null, cancellationToken);
    }

    private sealed class DateTimeOffsetCollector(OutputColumn output, DataViewRowCursor cursor, int capacity) : ColumnCollector
    {
        private readonly Func<DateTimeOffset> _read = output.Reader<DateTimeOffset>(cursor);
        private readonly DateTime[] _values = new DateTime[capacity];

        public override DataField Field { get; } = new DateTimeDataField(output.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);

        public override void Collect(int row) => _values[row] = _read().UtcDateTime;

        public override Task WriteAsync(ParquetRowGroupWriter group, int rows, CancellationToken cancellationToken) =>
            group.WriteAsync(Field, new ReadOnlyMemory<DateTime>(_values, 0, rows), null, null, cancellationToken);
    }

    private sealed class TextCollector(OutputColumn output, DataViewRowCursor cursor, int capacity) : ColumnCollector
    {
        private readonly Func<ReadOnlyMemory<char>> _read = output.Reader<ReadOnlyMemory<char>>(cursor);
        private readonly string[] _values = new string[capacity];

        public override DataField Field { get; } = new DataField(output.Name, typeof(string), isNullable: false);

        public override void Collect(int row) => _values[row] = _read().ToString();

        public override Task WriteAsync(ParquetRowGroupWriter group, int rows, CancellationToken cancellationToken) =>
            group.WriteAsync(Field, new ArraySegment<string>(_values, 0, rows), null);
    }
}
