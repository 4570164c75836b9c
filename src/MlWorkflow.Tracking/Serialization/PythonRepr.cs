using System.Globalization;
using System.Text;

namespace MlWorkflow.Tracking.Serialization;

/// <summary>Python's <c>repr</c> of floats and strings, which MLflow's files and params carry.</summary>
internal static class PythonRepr
{
    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, <c>1.0</c>, <c>1e-05</c>, <c>1e+16</c>, <c>nan</c>, <c>inf</c>.</summary>
    public static string Float(double value) => double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : FromRoundTrip(value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>A single-precision value with its own shortest digits (as Python would print the value the user wrote).</summary>
    public static string Float(float value) => float.IsFinite(value) ? FromRoundTrip(value.ToString("R", CultureInfo.InvariantCulture)) : Float((double)value);

    /// <summary>Python's <c>repr(str)</c>: single quotes unless the text holds a single quote and no double quote.</summary>
    public static string String(string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var builder = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                default:
                    if (ch == quote)
                    {
                        builder.Append('\\').Append(ch);
                    }
                    else if (ch < 0x20 || ch == 0x7F)
                    {
                        builder.Append(@"\x").Append(((int)ch).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(ch);
                    }

                    break;
            }
        }

        return builder.Append(quote).ToString();
    }

    // .NET's "R" gives the shortest round-trip digits; Python lays them out differently (exponent below 1e-4 and from 1e16).
    private static string FromRoundTrip(string text)
    {
        var negative = text.StartsWith('-');
        var body = negative ? text[1..] : text;
        var exponent = 0;
        var e = body.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..e];
        }

        var point = body.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? body : body[..point] + body[(point + 1)..];
        var decimalPoint = (point < 0 ? body.Length : point) + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        decimalPoint -= leading;
        var sign = negative ? "-" : string.Empty;
        if (digits.Length == 0)
        {
            return sign + "0.0";
        }

        if (decimalPoint > 16 || decimalPoint < -3)
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            var power = decimalPoint - 1;
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{mantissa}e{(power < 0 ? '-' : '+')}{Math.Abs(power):00}");
        }

        if (decimalPoint <= 0)
        {
            return sign + "0." + new string('0', -decimalPoint) + digits;
        }

        return decimalPoint >= digits.Length
            ? sign + digits + new string('0', decimalPoint - digits.Length) + ".0"
            : sign + digits[..decimalPoint] + "." + digits[decimalPoint..];
    }
}
