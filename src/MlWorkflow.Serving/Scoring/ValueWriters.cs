using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Serving.Scoring;

/// <summary>
/// Writes the current row's value of an ML.NET column as JSON. NaN and ±infinity become <c>null</c> (MLflow writes bare
/// <c>NaN</c>/<c>Infinity</c> tokens, which strict JSON parsers refuse).
/// </summary>
internal static class ValueWriters
{
    public static Action<Utf8JsonWriter> Create(DataViewRow row, DataViewSchema.Column column)
    {
        var type = column.Type;
        if (type == NumberDataViewType.Single)
        {
            var getter = row.GetGetter<float>(column);
            return writer =>
            {
                float value = default;
                getter(ref value);
                WriteNumber(writer, value);
            };
        }

        if (type == NumberDataViewType.Double)
        {
            var getter = row.GetGetter<double>(column);
            return writer =>
            {
                double value = default;
                getter(ref value);
                WriteNumber(writer, value);
            };
        }

        if (type == NumberDataViewType.Int32)
        {
            var getter = row.GetGetter<int>(column);
            return writer =>
            {
                int value = default;
                getter(ref value);
                writer.WriteNumberValue(value);
            };
        }

        if (type == NumberDataViewType.Int64)
        {
            var getter = row.GetGetter<long>(column);
            return writer =>
            {
                long value = default;
                getter(ref value);
                writer.WriteNumberValue(value);
            };
        }

        if (type == NumberDataViewType.UInt32 || (type is KeyDataViewType && type.RawType == typeof(uint)))
        {
            var getter = row.GetGetter<uint>(column);
            return writer =>
            {
                uint value = default;
                getter(ref value);
                writer.WriteNumberValue(value);
            };
        }

        if (type is BooleanDataViewType)
        {
            var getter = row.GetGetter<bool>(column);
            return writer =>
            {
                bool value = default;
                getter(ref value);
                writer.WriteBooleanValue(value);
            };
        }

        if (type is TextDataViewType)
        {
            var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
            return writer =>
            {
                ReadOnlyMemory<char> value = default;
                getter(ref value);
                writer.WriteStringValue(value.Span);
            };
        }

        if (type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single)
        {
            var getter = row.GetGetter<VBuffer<float>>(column);
            return writer =>
            {
                VBuffer<float> value = default;
                getter(ref value);
                writer.WriteStartArray();
                foreach (var v in value.DenseValues())
                {
                    WriteNumber(writer, v);
                }

                writer.WriteEndArray();
            };
        }

        // A column of a type the protocol has no JSON form for is written as null rather than failing the request.
        return writer => writer.WriteNullValue();
    }

    /// <summary>A per-class score vector written as an object keyed by class name.</summary>
    public static Action<Utf8JsonWriter> CreateNamed(DataViewRow row, DataViewSchema.Column column, IReadOnlyList<string> names)
    {
        var getter = row.GetGetter<VBuffer<float>>(column);
        return writer =>
        {
            VBuffer<float> value = default;
            getter(ref value);
            writer.WriteStartObject();
            var i = 0;
            foreach (var v in value.DenseValues())
            {
                writer.WritePropertyName(i < names.Count ? names[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                WriteNumber(writer, v);
                i++;
            }

            writer.WriteEndObject();
        };
    }

    public static void WriteNumber(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
