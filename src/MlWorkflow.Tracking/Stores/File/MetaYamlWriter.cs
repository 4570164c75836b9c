using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// Writes <c>meta.yaml</c> files the way MLflow's PyYAML safe dumper does (block style, keys sorted,
/// strings plain when YAML 1.1 reads them back as strings, else single-quoted and folded past column 80;
/// multi-line or control characters double-quoted), so that the bytes match what MLflow writes.
/// </summary>
internal static partial class MetaYamlWriter
{
    private const int BestWidth = 80;

    /// <summary>Marks an empty YAML list (<c>[]</c>).</summary>
    public static readonly object EmptyList = new();

    /// <summary>
    /// Renders a mapping. Values: <see cref="string"/>, <see cref="long"/>/<see cref="int"/>, null,
    /// <see cref="EmptyList"/>, or an <see cref="IReadOnlyDictionary{TKey, TValue}"/> of strings (a nested mapping).
    /// </summary>
    public static string Write(IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var builder = new StringBuilder(512);
        foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            builder.Append(key).Append(':');
            switch (value)
            {
                case IReadOnlyDictionary<string, string> mapping when mapping.Count == 0:
                    builder.Append(" {}\n");
                    break;
                case IReadOnlyDictionary<string, string> mapping:
                    builder.Append('\n');
                    foreach (var (innerKey, innerValue) in mapping.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        builder.Append("  ");
                        AppendScalar(builder, innerKey, 2, 2);
                        builder.Append(':');
                        var column = CurrentColumn(builder);
                        builder.Append(' ');
                        AppendScalar(builder, innerValue, column + 1, 4);
                        builder.Append('\n');
                    }

                    break;
                default:
                    builder.Append(' ');
                    AppendValue(builder, value, key.Length + 2);
                    builder.Append('\n');
                    break;
            }
        }

        return builder.ToString();
    }

    private static void AppendValue(StringBuilder builder, object? value, int column)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case long number:
                builder.Append(number.ToString(CultureInfo.InvariantCulture));
                break;
            case int number:
                builder.Append(number.ToString(CultureInfo.InvariantCulture));
                break;
            case string text:
                AppendScalar(builder, text, column, 2);
                break;
            default:
                if (ReferenceEquals(value, EmptyList))
                {
                    builder.Append("[]");
                    break;
                }

                throw new ArgumentException($"Cannot write a value of type {value.GetType().Name} to meta.yaml.", nameof(value));
        }
    }

    private static int CurrentColumn(StringBuilder builder)
    {
        var column = 0;
        for (var i = builder.Length - 1; i >= 0 && builder[i] != '\n'; i--)
        {
            column++;
        }

        return column;
    }

    /// <summary>Appends a string scalar in the style PyYAML picks for it.</summary>
    private static void AppendScalar(StringBuilder builder, string text, int column, int indent)
    {
        if (NeedsDoubleQuotes(text))
        {
            AppendDoubleQuoted(builder, text);
        }
        else
        {
            AppendFolded(builder, text, column, indent, quoted: !CanBePlain(text));
        }
    }

    private static bool NeedsDoubleQuotes(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029' or '\uFEFF' || (char.IsControl(ch) && ch != '\t'))
            {
                return true;
            }

            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(ch))
            {
                return true;
            }
        }

        return false;
    }

    private static bool CanBePlain(string text)
    {
        if (text.Length == 0 || ImplicitlyTyped().IsMatch(text))
        {
            return false;
        }

        if (text.StartsWith("---", StringComparison.Ordinal) || text.StartsWith("...", StringComparison.Ordinal))
        {
            return false;
        }

        if (text[0] == ' ' || text[^1] == ' ' || text.Contains('\t', StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            var followedBySpace = i + 1 >= text.Length || text[i + 1] is ' ' or '\t';
            if (i == 0)
            {
                if ("#,[]{}&*!|>'\"%@`".Contains(ch, StringComparison.Ordinal))
                {
                    return false;
                }

                if (ch is '?' or ':' or '-' && followedBySpace)
                {
                    return false;
                }
            }
            else
            {
                if (ch == ':' && followedBySpace)
                {
                    return false;
                }

                if (ch == '#' && text[i - 1] == ' ')
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Writes a plain or single-quoted scalar (<c>''</c> for a quote); a lone space reached past column 80 becomes
    /// a line break and indentation, as PyYAML folds long scalars.
    /// </summary>
    private static void AppendFolded(StringBuilder builder, string text, int column, int indent, bool quoted)
    {
        if (quoted)
        {
            builder.Append('\'');
            column++;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch == ' ' && i > 0 && i + 1 < text.Length && text[i - 1] != ' ' && text[i + 1] != ' ' && column > BestWidth)
            {
                builder.Append('\n').Append(' ', indent);
                column = indent;
                continue;
            }

            if (quoted && ch == '\'')
            {
                builder.Append("''");
                column += 2;
            }
            else
            {
                builder.Append(ch);
                column++;
            }
        }

        if (quoted)
        {
            builder.Append('\'');
        }
    }

    private static void AppendDoubleQuoted(StringBuilder builder, string text)
    {
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            switch (ch)
            {
                case '\\': builder.Append("\\\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsControl(ch) || ch is '\u0085' or '\u2028' or '\u2029' or '\uFEFF' || (char.IsSurrogate(ch) && !(char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) && !(char.IsLowSurrogate(ch) && i > 0 && char.IsHighSurrogate(text[i - 1]))))
                    {
                        builder.Append(ch <= 0xFF ? $"\\x{(int)ch:X2}" : $"\\u{(int)ch:X4}");
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

    // Plain scalars that YAML 1.1 resolves to bool, int, float, null, timestamp, merge or value.
    [GeneratedRegex(
        @"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
        + @"|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
        + @"|[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
        + @"|~|null|Null|NULL|<<|="
        + @"|[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex ImplicitlyTyped();
}
