using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MlWorkflow.Tracking.Serialization;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dumps</c> does with its defaults, which is how MLflow writes signatures, input
/// examples' metadata and the <c>mlflow.log-model.history</c> tag: <c>", "</c> and <c>": "</c> separators, keys in insertion
/// order, every character outside printable ASCII escaped as <c>\uXXXX</c> with lowercase hex (<c>ensure_ascii</c>), quotes,
/// <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> and <c>'</c> written as they are, floats as Python's <c>repr</c> (<c>1.0</c>, <c>1e-05</c>).
/// One difference: NaN and ±infinity are written as <c>null</c> (Python writes <c>NaN</c>, which strict JSON readers refuse).
/// </summary>
public static class PythonJson
{
    /// <summary>
    /// Serialises a value: null, strings, booleans, numbers, <see cref="JsonElement"/>s, sequences of
    /// <see cref="KeyValuePair{TKey, TValue}"/> with string keys or <see cref="IDictionary"/> (objects), other sequences
    /// (arrays); anything else as the JSON string of its <see cref="object.ToString"/>.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(object? value)
    {
        var builder = new StringBuilder();
        Append(builder, value);
        return builder.ToString();
    }

    /// <summary>Appends a value's JSON (see <see cref="Serialize"/>).</summary>
    /// <param name="builder">Where to write.</param>
    /// <param name="value">The value.</param>
    public static void Append(StringBuilder builder, object? value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case string text:
                AppendString(builder, text);
                break;
            case bool flag:
                builder.Append(flag ? "true" : "false");
                break;
            case double number:
                builder.Append(double.IsFinite(number) ? PythonRepr.Float(number) : "null");
                break;
            case float number:
                builder.Append(float.IsFinite(number) ? PythonRepr.Float(number) : "null");
                break;
            case IFormattable integer and (int or long or uint or ulong or short or ushort or byte or sbyte or decimal or System.Numerics.BigInteger):
                builder.Append(integer.ToString(null, CultureInfo.InvariantCulture));
                break;
            case JsonElement element:
                AppendElement(builder, element);
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                AppendObject(builder, map);
                break;
            case IDictionary dictionary:
                AppendObject(builder, ValueText.Entries(dictionary).Select(e => new KeyValuePair<string, object?>(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "null", e.Value)));
                break;
            case IEnumerable list:
                builder.Append('[');
                var first = true;
                foreach (var item in list)
                {
                    builder.Append(first ? string.Empty : ", ");
                    first = false;
                    Append(builder, item);
                }

                builder.Append(']');
                break;
            default:
                AppendString(builder, value.ToString() ?? string.Empty);
                break;
        }
    }

    /// <summary>Appends any parsed JSON value as <c>json.dumps</c> would write it (numbers keep their text).</summary>
    /// <param name="builder">Where to write.</param>
    /// <param name="value">The value.</param>
    public static void AppendElement(StringBuilder builder, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                AppendObject(builder, value.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)));
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    builder.Append(first ? string.Empty : ", ");
                    first = false;
                    AppendElement(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                AppendString(builder, value.GetString()!);
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            default:
                builder.Append(value.GetRawText());
                break;
        }
    }

    /// <summary>Appends a JSON string as <c>json.dumps</c> writes it: <c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\b</c>, <c>\f</c>, and <c>\u00e9</c> for everything outside printable ASCII.</summary>
    /// <param name="builder">Where to write.</param>
    /// <param name="text">The text.</param>
    public static void AppendString(StringBuilder builder, string text)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(text);
        builder.Append('"');
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    // Python escapes everything outside ' '..'~' (0x7F included); surrogate pairs stay two escapes, as in Python.
                    if (ch < 0x20 || ch > 0x7E)
                    {
                        builder.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(ch);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    private static void AppendObject(StringBuilder builder, IEnumerable<KeyValuePair<string, object?>> members)
    {
        builder.Append('{');
        var first = true;
        foreach (var (key, item) in members)
        {
            builder.Append(first ? string.Empty : ", ");
            first = false;
            AppendString(builder, key);
            builder.Append(": ");
            Append(builder, item);
        }

        builder.Append('}');
    }
}
