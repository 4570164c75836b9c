using System.Buffers;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Serving.Tests;

/// <summary>Real rows as the <c>dataframe_split</c> body a client sends.</summary>
internal static class DataframeSplitBodies
{
    /// <summary>Every row of the view (but <paramref name="label"/>) as one <c>dataframe_split</c> body.</summary>
    public static string Of(IDataView view, string label)
    {
        var columns = view.Schema.Where(c => !c.IsHidden && c.Name != label).ToArray();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("dataframe_split");
            writer.WriteStartArray("columns");
            foreach (var column in columns)
            {
                writer.WriteStringValue(column.Name);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("data");
            using var cursor = view.GetRowCursor(columns);
            var values = columns.Select(c => Getter(cursor, c)).ToArray();
            while (cursor.MoveNext())
            {
                writer.WriteStartArray();
                foreach (var value in values)
                {
                    value(writer);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Action<Utf8JsonWriter> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is TextDataViewType)
        {
            var text = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            return w =>
            {
                ReadOnlyMemory<char> v = default;
                text(ref v);
                w.WriteStringValue(v.Span);
            };
        }

        if (column.Type == NumberDataViewType.Int32)
        {
            var integer = cursor.GetGetter<int>(column);
            return w =>
            {
                var v = 0;
                integer(ref v);
                w.WriteNumberValue(v);
            };
        }

        if (column.Type == NumberDataViewType.Double)
        {
            var real = cursor.GetGetter<double>(column);
            return w =>
            {
                var v = 0d;
                real(ref v);
                w.WriteNumberValue(v);
            };
        }

        var number = cursor.GetGetter<float>(column);
        return w =>
        {
            var v = 0f;
            number(ref v);
            w.WriteNumberValue(v);
        };
    }
}
