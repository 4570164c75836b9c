using System.Globalization;
using System.Text;

namespace MlWorkflow.Server.Ui;

/// <summary>
/// Builds an HTML page: markup is written as given, every value through <see cref="Text"/> or <see cref="Attr"/>, which encode
/// the five characters HTML gives meaning to; nothing a store holds is ever written as markup.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _out = new(16 * 1024);

    /// <summary>Writes markup (never a value from a request or a store).</summary>
    public Html Raw(string markup)
    {
        _out.Append(markup);
        return this;
    }

    /// <summary>Writes a value as text.</summary>
    public Html Text(string? value)
    {
        Encode(_out, value);
        return this;
    }

    /// <summary>Writes <c> name="value"</c>, the value encoded.</summary>
    public Html Attr(string name, string? value)
    {
        _out.Append(' ').Append(name).Append("=\"");
        Encode(_out, value);
        _out.Append('"');
        return this;
    }

    /// <summary>Writes <c>&lt;tag attrs&gt;text&lt;/tag&gt;</c>.</summary>
    public Html Element(string tag, string? text, string? cssClass = null)
    {
        _out.Append('<').Append(tag);
        if (cssClass is not null)
        {
            Attr("class", cssClass);
        }

        _out.Append('>');
        Encode(_out, text);
        _out.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>Writes a link.</summary>
    public Html Link(string href, string? text, string? cssClass = null)
    {
        _out.Append("<a");
        Attr("href", href);
        if (cssClass is not null)
        {
            Attr("class", cssClass);
        }

        _out.Append('>');
        Encode(_out, text);
        _out.Append("</a>");
        return this;
    }

    /// <summary>Writes a hidden form field.</summary>
    public Html Hidden(string name, string? value) => Raw("<input type=\"hidden\"").Attr("name", name).Attr("value", value).Raw(">");

    public override string ToString() => _out.ToString();

    /// <summary>A value encoded for text and quoted attributes.</summary>
    public static string Encode(string? value)
    {
        var builder = new StringBuilder(value?.Length ?? 0);
        Encode(builder, value);
        return builder.ToString();
    }

    /// <summary>A query string component.</summary>
    public static string Q(string? value) => Uri.EscapeDataString(value ?? string.Empty);

    /// <summary>A number as people read it: up to 6 significant digits, invariant culture.</summary>
    public static string Number(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "∞"
        : double.IsNegativeInfinity(value) ? "-∞"
        : value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A Unix time in milliseconds as UTC date and time.</summary>
    public static string Time(long? milliseconds) =>
        milliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>A duration between two Unix times in milliseconds.</summary>
    public static string Duration(long start, long? end)
    {
        if (end is not { } e || e < start)
        {
            return string.Empty;
        }

        var span = TimeSpan.FromMilliseconds(e - start);
        return span.TotalSeconds < 60 ? span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : span.TotalMinutes < 60 ? span.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture) + " min"
            : span.TotalHours.ToString("0.0", CultureInfo.InvariantCulture) + " h";
    }

    /// <summary>A byte count as people read it.</summary>
    public static string Bytes(long? bytes) =>
        bytes is not { } b ? string.Empty
        : b < 1024 ? b.ToString(CultureInfo.InvariantCulture) + " B"
        : b < 1024 * 1024 ? (b / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB"
        : (b / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static void Encode(StringBuilder builder, string? value)
    {
        if (value is null)
        {
            return;
        }

        foreach (var c in value)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                default: builder.Append(c); break;
            }
        }
    }
}
