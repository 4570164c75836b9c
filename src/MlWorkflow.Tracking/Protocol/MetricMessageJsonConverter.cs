using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

/// <summary>
/// A hand-written converter for the hottest message, <c>Metric</c> (a thousand per <c>log-batch</c>): numbers or decimal
/// strings for <c>timestamp</c> and <c>step</c>, a number or <c>"NaN"</c>/<c>"Infinity"</c>/<c>"-Infinity"</c> for <c>value</c>;
/// unknown members are skipped. It is several times faster than the generic path that number handling forces.
/// </summary>
internal sealed class MetricMessageJsonConverter : JsonConverter<MetricMessage>
{
    public override MetricMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A metric must be a JSON object.");
        }

        var metric = new MetricMessage();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                throw new JsonException("Malformed metric object.");
            }

            if (reader.ValueTextEquals("key"u8))
            {
                reader.Read();
                metric.Key = reader.TokenType == JsonTokenType.Null ? null : ReadKey(ref reader);
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                metric.Value = ReadDouble(ref reader);
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                metric.Timestamp = ReadInt64(ref reader, "timestamp");
            }
            else if (reader.ValueTextEquals("step"u8))
            {
                reader.Read();
                metric.Step = ReadInt64(ref reader, "step");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return metric;
    }

    public override void Write(Utf8JsonWriter writer, MetricMessage value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Key is not null)
        {
            writer.WriteString("key"u8, value.Key);
        }

        if (value.Value is { } number)
        {
            if (double.IsFinite(number))
            {
                writer.WriteNumber("value"u8, number);
            }
            else
            {
                writer.WriteString("value"u8, double.IsNaN(number) ? "NaN"u8 : number > 0 ? "Infinity"u8 : "-Infinity"u8);
            }
        }

        if (value.Timestamp is { } timestamp)
        {
            writer.WriteNumber("timestamp"u8, timestamp);
        }

        if (value.Step is { } step)
        {
            writer.WriteNumber("step"u8, step);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// A metric key: a batch repeats a few keys a thousand times, so the strings of the last keys seen on this thread are
    /// reused when the raw bytes match (a miss reads the string as usual, which validates its UTF-8).
    /// </summary>
    private static string? ReadKey(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > 64)
        {
            return reader.GetString();
        }

        var bytes = reader.ValueSpan;
        var cache = _keyCache ??= new (byte[] Utf8, string Text)[KeyCacheSize];
        for (var i = 0; i < cache.Length; i++)
        {
            var entry = cache[i];
            if (entry.Utf8 is null)
            {
                break;
            }

            if (bytes.SequenceEqual(entry.Utf8))
            {
                return entry.Text;
            }
        }

        var text = reader.GetString()!;
        cache[_keyCacheNext] = (bytes.ToArray(), text);
        _keyCacheNext = (_keyCacheNext + 1) % KeyCacheSize;
        return text;
    }

    private const int KeyCacheSize = 16;

    [ThreadStatic]
    private static (byte[] Utf8, string Text)[]? _keyCache;

    [ThreadStatic]
    private static int _keyCacheNext;

    private static double? ReadDouble(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return reader.GetDouble();
            case JsonTokenType.String:
                if (reader.ValueTextEquals("NaN"u8))
                {
                    return double.NaN;
                }

                if (reader.ValueTextEquals("Infinity"u8))
                {
                    return double.PositiveInfinity;
                }

                if (reader.ValueTextEquals("-Infinity"u8))
                {
                    return double.NegativeInfinity;
                }

                var text = reader.GetString();
                return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new JsonException($"Invalid metric value \"{text}\": expected a number, \"NaN\", \"Infinity\" or \"-Infinity\".");
            default:
                throw new JsonException($"Invalid metric value: expected a number, got {reader.TokenType}.");
        }
    }

    private static long? ReadInt64(ref Utf8JsonReader reader, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out var number):
                return number;
            case JsonTokenType.String when !reader.HasValueSequence && !reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var consumed) && consumed == reader.ValueSpan.Length:
                return parsed;
            default:
                throw new JsonException($"Invalid value for metric '{name}': expected a 64-bit integer.");
        }
    }
}
