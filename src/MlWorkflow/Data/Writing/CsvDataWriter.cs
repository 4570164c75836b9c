using System.Globalization;
using System.Text;
using Microsoft.ML;

namespace MlWorkflow.Data.Writing;

/// <summary>Writes a view as CSV, a chunk of rows at a time.</summary>
internal static class CsvDataWriter
{
    public static async Task WriteAsync(IDataView data, string path, char separator, CancellationToken cancellationToken)
    {
        var outputs = OutputColumn.From(data.Schema, path);
        var temporary = path + ".partial";
        try
        {
            using (var cursor = data.GetRowCursor(outputs.Select(o => o.Source).Distinct()))
            await using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false), 1 << 16))
            {
                var formatters = outputs.Select(o => Formatter(o, cursor, path)).ToArray();
                var text = new StringBuilder();
                text.AppendJoin(separator, outputs.Select(o => Quote(o.Name, separator))).Append('\n');
                while (cursor.MoveNext())
                {
                    for (var i = 0; i < formatters.Length; i++)
                    {
                        if (i > 0)
                        {
                            text.Append(separator);
                        }

                        text.Append(Quote(formatters[i](), separator));
                    }

                    text.Append('\n');
                    if (text.Length > 1 << 16)
                    {
                        await writer.WriteAsync(text, cancellationToken).ConfigureAwait(false);
                        text.Clear();
                    }
                }

                await writer.WriteAsync(text, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static Func<string> Formatter(OutputColumn output, DataViewRowCursor cursor, string path)
    {
        var invariant = CultureInfo.InvariantCulture;
        var type = output.ValueType;
        if (type == typeof(double))
        {
            var read = output.Reader<double>(cursor);
            return () => read() is var v && double.IsNaN(v) ? string.Empty : v.ToString("R", invariant);
        }

        if (type == typeof(float))
        {
            var read = output.Reader<float>(cursor);
            return () => read() is var v && float.IsNaN(v) ? string.Empty : v.ToString("R", invariant);
        }

        if (type == typeof(ReadOnlyMemory<char>))
        {
            var read = output.Reader<ReadOnlyMemory<char>>(cursor);
            return () => read().ToString();
        }

        if (type == typeof(bool))
        {
            var read = output.Reader<bool>(cursor);
            return () => read() ? "true" : "false";
        }

        if (type == typeof(DateTime))
        {
            var read = output.Reader<DateTime>(cursor);
            return () => read().ToString("O", invariant);
        }

        if (type == typeof(DateTimeOffset))
        {
            var read = output.Reader<DateTimeOffset>(cursor);
            return () => read().ToString("O", invariant);
        }

        if (type == typeof(sbyte) || type == typeof(byte) || type == typeof(short) || type == typeof(ushort) || type == typeof(int)
            || type == typeof(uint) || type == typeof(long) || type == typeof(ulong) || type == typeof(TimeSpan))
        {
            return (Func<string>)typeof(CsvDataWriter).GetMethod(nameof(Formattable), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(type).Invoke(null, [output, cursor])!;
        }

        throw new DataSourceException($"Column '{output.Name}' is {type.Name}, which cannot be written to CSV", path, column: output.Name);
    }

    private static Func<string> Formattable<T>(OutputColumn output, DataViewRowCursor cursor)
        where T : IFormattable
    {
        var read = output.Reader<T>(cursor);
        return () => read().ToString(null, CultureInfo.InvariantCulture);
    }

    private static string Quote(string value, char separator) =>
        value.IndexOfAny([separator, '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
