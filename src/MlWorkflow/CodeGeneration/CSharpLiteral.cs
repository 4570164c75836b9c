using System.Globalization;
using System.Text;

namespace MlWorkflow.CodeGeneration;

/// <summary>C# literals for values written into generated code: escaped strings, round-trippable invariant numbers.</summary>
internal static class CSharpLiteral
{
    /// <summary>A regular string literal; quotes, backslashes and every control or line-separator character are escaped.</summary>
    public static string String(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\0': text.Append("\\0"); break;
                default:
                    // Control characters and U+2028/U+2029 (line breaks to the C# lexer) would end or hide the line.
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    /// <summary>A double literal that reads back as the same value (shortest round-trip text, invariant culture).</summary>
    public static string Double(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>An int, double, bool, string or null as a literal.</summary>
    public static string Value(object? value) => value switch
    {
        null => "null",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => Double(d),
        float f => Double(double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)),
        bool b => b ? "true" : "false",
        string s => String(s),
        _ => throw new ArgumentException($"No C# literal for a value of type {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>String literals separated by commas, for a params argument list.</summary>
    public static string Strings(IEnumerable<string> values) => string.Join(", ", values.Select(String));
}
