using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MlWorkflow.Models;

/// <summary>
/// Writes JSON as Python's <c>json.dumps</c> does by default (<c>", "</c> and <c>": "</c> separators, keys in
/// insertion order), which is how MLflow writes signatures and the log-model history.
/// </summary>
internal static class PythonStyleJson
{
    public static string Write(object? value)
    {
        var builder = new StringBuilder();
        Append(builder, value);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case string text:
                builder.Append(JsonSerializer.Serialize(text));
                break;
            case bool flag:
                builder.Append(flag ? "true" : "false");
                break;
            case float f:
                builder.Append(float.IsFinite(f) ? WithPoint(f.ToString("R", CultureInfo.InvariantCulture)) : "null");
                break;
            case double d:
                AppendNumber(builder, d);
                break;
            case IFormattable number and (int or long or uint or ulong or short or ushort or byte or sbyte):
                builder.Append(number.ToString(null, CultureInfo.InvariantCulture));
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                builder.Append('{');
                var firstKey = true;
                foreach (var (key, item) in map)
                {
                    builder.Append(firstKey ? string.Empty : ", ");
                    firstKey = false;
                    builder.Append(JsonSerializer.Serialize(key)).Append(": ");
                    Append(builder, item);
                }

                builder.Append('}');
                break;
            case System.Collections.IEnumerable list:
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
                builder.Append(JsonSerializer.Serialize(value.ToString()));
                break;
        }
    }

    // JSON has no NaN or infinity: they are written as null.
    private static void AppendNumber(StringBuilder builder, double value) =>
        builder.Append(double.IsFinite(value) ? WithPoint(value.ToString("R", CultureInfo.InvariantCulture)) : "null");

    // Python writes a float that happens to be whole as 54.0, keeping its type.
    private static string WithPoint(string number) =>
        number.AsSpan().IndexOfAny('.', 'E', 'e') >= 0 ? number : number + ".0";
}
