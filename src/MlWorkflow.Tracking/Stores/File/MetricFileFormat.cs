using System.Globalization;
using System.Text;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// The metric file format: one <c>timestamp value step</c> line per logged value, values written as
/// Python's <c>repr(float)</c> (<c>0.5</c>, <c>1.0</c>, <c>1e-05</c>, <c>1e+16</c>, <c>nan</c>, <c>inf</c>, <c>-inf</c>).
/// </summary>
internal static class MetricFileFormat
{
    /// <summary>Formats a double as Python's <c>repr</c> does: shortest round-trip digits, <c>.0</c> on integral values, exponent form below 1e-4 and from 1e16.</summary>
    public static string FormatValue(double value)
    {
        Span<char> buffer = stackalloc char[MaxValueLength];
        return new string(buffer[..FormatValue(value, buffer)]);
    }

    /// <summary>The longest text <see cref="FormatValue(double, Span{char})"/> writes.</summary>
    public const int MaxValueLength = 32;

    /// <summary>Writes a value as Python's <c>repr(float)</c> does, without allocating; returns the length written.</summary>
    public static int FormatValue(double value, Span<char> destination)
    {
        if (double.IsNaN(value))
        {
            return Write(destination, "nan");
        }

        if (double.IsInfinity(value))
        {
            return Write(destination, value > 0 ? "inf" : "-inf");
        }

        if (value == 0)
        {
            return Write(destination, double.IsNegative(value) ? "-0.0" : "0.0");
        }

        // "R" gives the shortest round-trip digits; lay them out as Python does.
        Span<char> roundTrip = stackalloc char[MaxValueLength];
        value.TryFormat(roundTrip, out var written, "R", CultureInfo.InvariantCulture);
        ReadOnlySpan<char> body = roundTrip[..written];
        var negative = body[0] == '-';
        if (negative)
        {
            body = body[1..];
        }

        var exponent = 0;
        var e = body.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..e];
        }

        Span<char> digits = stackalloc char[MaxValueLength];
        var digitCount = 0;
        var pointPosition = -1;
        foreach (var ch in body)
        {
            if (ch == '.')
            {
                pointPosition = digitCount;
            }
            else
            {
                digits[digitCount++] = ch;
            }
        }

        if (pointPosition < 0)
        {
            pointPosition = digitCount;
        }

        // Strip leading zeros (0.00123 → digits "123", decimal point moved) and trailing zeros.
        var leading = 0;
        while (leading < digitCount - 1 && digits[leading] == '0')
        {
            leading++;
        }

        ReadOnlySpan<char> mantissa = digits[leading..digitCount].TrimEnd('0');
        if (mantissa.Length == 0)
        {
            mantissa = "0";
        }

        // value = 0.<mantissa> × 10^decimalPoint
        var decimalPoint = pointPosition - leading + exponent;
        var length = 0;
        if (negative)
        {
            destination[length++] = '-';
        }

        if (decimalPoint > 16 || decimalPoint < -3)
        {
            destination[length++] = mantissa[0];
            if (mantissa.Length > 1)
            {
                destination[length++] = '.';
                length += Write(destination[length..], mantissa[1..]);
            }

            var shown = decimalPoint - 1;
            destination[length++] = 'e';
            destination[length++] = shown < 0 ? '-' : '+';
            Math.Abs(shown).TryFormat(destination[length..], out var exponentLength, "00", CultureInfo.InvariantCulture);
            length += exponentLength;
        }
        else if (decimalPoint <= 0)
        {
            length += Write(destination[length..], "0.");
            destination.Slice(length, -decimalPoint).Fill('0');
            length += -decimalPoint;
            length += Write(destination[length..], mantissa);
        }
        else if (decimalPoint >= mantissa.Length)
        {
            length += Write(destination[length..], mantissa);
            destination.Slice(length, decimalPoint - mantissa.Length).Fill('0');
            length += decimalPoint - mantissa.Length;
            length += Write(destination[length..], ".0");
        }
        else
        {
            length += Write(destination[length..], mantissa[..decimalPoint]);
            destination[length++] = '.';
            length += Write(destination[length..], mantissa[decimalPoint..]);
        }

        return length;
    }

    private static int Write(Span<char> destination, ReadOnlySpan<char> text)
    {
        text.CopyTo(destination);
        return text.Length;
    }

    /// <summary>Parses a value as Python's <c>float()</c> does (also <c>nan</c>, <c>inf</c>, <c>Infinity</c>, any case).</summary>
    public static bool TryParseValue(ReadOnlySpan<char> text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        var sign = 1.0;
        var body = text;
        if (body.Length > 0 && body[0] is '+' or '-')
        {
            sign = body[0] == '-' ? -1 : 1;
            body = body[1..];
        }

        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }

        return false;
    }

    /// <summary>Appends one metric line (<c>timestamp value step\n</c>).</summary>
    public static void AppendLine(StringBuilder builder, Metric metric)
    {
        Span<char> value = stackalloc char[MaxValueLength];
        var length = FormatValue(metric.Value, value);
        builder.Append(CultureInfo.InvariantCulture, $"{metric.Timestamp} ").Append(value[..length]).Append(CultureInfo.InvariantCulture, $" {metric.Step}\n");
    }

    /// <summary>
    /// Parses a metric file's content held in memory (tests and small files; the store streams with
    /// <see cref="MetricFileReader"/>). A last line without its line break is a write in progress (or a writer killed
    /// mid-line) and is skipped; so is a line that is not exactly MLflow's format, as it can only be damage.
    /// </summary>
    public static List<Metric> Parse(string key, string content)
    {
        var metrics = new List<Metric>();
        var span = content.AsSpan();
        while (span.Length > 0)
        {
            var newline = span.IndexOf('\n');
            if (newline < 0)
            {
                break;
            }

            var line = span[..newline];
            span = span[(newline + 1)..];
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (MetricFileReader.TryParse(line, out var point))
            {
                metrics.Add(point.ToMetric(key));
            }
        }

        return metrics;
    }
}
