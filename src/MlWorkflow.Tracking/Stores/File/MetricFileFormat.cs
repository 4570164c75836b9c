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
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        // "E16" is not shortest; "R" is. Take its digits and exponent and lay them out as Python does.
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = roundTrip[0] == '-';
        var body = negative ? roundTrip.AsSpan(1) : roundTrip.AsSpan();
        var exponent = 0;
        var e = body.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..e];
        }

        var digits = new StringBuilder(20);
        var pointPosition = -1;
        foreach (var ch in body)
        {
            if (ch == '.')
            {
                pointPosition = digits.Length;
            }
            else
            {
                digits.Append(ch);
            }
        }

        if (pointPosition < 0)
        {
            pointPosition = digits.Length;
        }

        // Strip leading zeros (0.00123 → digits "123", decimal point moved).
        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0')
        {
            leading++;
        }

        var mantissa = digits.ToString(leading, digits.Length - leading).TrimEnd('0');
        if (mantissa.Length == 0)
        {
            mantissa = "0";
        }

        // value = 0.<mantissa> × 10^decimalPoint
        var decimalPoint = pointPosition - leading + exponent;
        var result = new StringBuilder(32);
        if (negative)
        {
            result.Append('-');
        }

        if (decimalPoint > 16 || decimalPoint < -3)
        {
            result.Append(mantissa[0]);
            if (mantissa.Length > 1)
            {
                result.Append('.').Append(mantissa, 1, mantissa.Length - 1);
            }

            var shown = decimalPoint - 1;
            result.Append('e').Append(shown < 0 ? '-' : '+').Append(Math.Abs(shown).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (decimalPoint <= 0)
        {
            result.Append("0.").Append('0', -decimalPoint).Append(mantissa);
        }
        else if (decimalPoint >= mantissa.Length)
        {
            result.Append(mantissa).Append('0', decimalPoint - mantissa.Length).Append(".0");
        }
        else
        {
            result.Append(mantissa, 0, decimalPoint).Append('.').Append(mantissa, decimalPoint, mantissa.Length - decimalPoint);
        }

        return result.ToString();
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
    public static void AppendLine(StringBuilder builder, Metric metric) =>
        builder.Append(metric.Timestamp.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(FormatValue(metric.Value)).Append(' ')
            .Append(metric.Step.ToString(CultureInfo.InvariantCulture)).Append('\n');

    /// <summary>
    /// Parses a metric file's content. A last line without its line break is a write in progress (or a writer
    /// killed mid-line) and is skipped; so is a line that does not parse, as it can only be damage.
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

            var line = span[..newline].Trim();
            span = span[(newline + 1)..];
            if (TryParseLine(key, line, out var metric))
            {
                metrics.Add(metric);
            }
        }

        return metrics;
    }

    /// <summary>Parses one <c>timestamp value [step]</c> line (3.x's extra dataset fields are ignored).</summary>
    public static bool TryParseLine(string key, ReadOnlySpan<char> line, out Metric metric)
    {
        metric = null!;
        Span<Range> parts = stackalloc Range[6];
        var count = line.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries);
        if (count is < 2 or > 5
            || !long.TryParse(line[parts[0]], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var timestamp)
            || !TryParseValue(line[parts[1]], out var value))
        {
            return false;
        }

        long step = 0;
        if (count >= 3 && !long.TryParse(line[parts[2]], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out step))
        {
            return false;
        }

        metric = new Metric(key, value, timestamp, step);
        return true;
    }

    /// <summary>Whether <paramref name="candidate"/> is later than <paramref name="current"/> by MLflow's rule: highest (step, timestamp, value).</summary>
    public static bool IsLater(Metric candidate, Metric? current)
    {
        if (current is null)
        {
            return true;
        }

        if (candidate.Step != current.Step)
        {
            return candidate.Step > current.Step;
        }

        if (candidate.Timestamp != current.Timestamp)
        {
            return candidate.Timestamp > current.Timestamp;
        }

        // Python compares NaN as neither larger nor smaller: the first one seen stays.
        return candidate.Value > current.Value;
    }

    /// <summary>The latest value of a history by <see cref="IsLater"/>, or null when empty.</summary>
    public static Metric? Latest(IEnumerable<Metric> history)
    {
        Metric? latest = null;
        foreach (var metric in history)
        {
            if (IsLater(metric, latest))
            {
                latest = metric;
            }
        }

        return latest;
    }
}
