using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// A parsed <c>meta.yaml</c>: top-level scalars (null for YAML nulls) and one level of nested mappings.
/// The common one-line-per-key form MLflow and this store write is read by a fast line parser; anything
/// else (folded or multi-line scalars, comments, flow collections) goes through YamlDotNet. Unknown keys
/// are kept and ignored by callers.
/// </summary>
internal sealed class MetaYamlDocument
{
    private readonly Dictionary<string, string?> _scalars = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string?>> _mappings = new(StringComparer.Ordinal);

    private MetaYamlDocument()
    {
    }

    /// <summary>Parses YAML text.</summary>
    /// <exception cref="FormatException">The text is not a YAML mapping.</exception>
    public static MetaYamlDocument Parse(string text)
    {
        var document = new MetaYamlDocument();
        if (!document.TryParseSimple(text))
        {
            document = new MetaYamlDocument();
            document.ParseWithYamlDotNet(text);
        }

        return document;
    }

    /// <summary>
    /// Parses a meta.yaml that may be missing or damaged: null when the text is null, empty or not a YAML mapping (a torn or
    /// foreign file is skipped, as MLflow's readers skip it, rather than failing a whole listing).
    /// </summary>
    public static MetaYamlDocument? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return Parse(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Whether the key is present (with any value, null included).</summary>
    public bool Contains(string key) => _scalars.ContainsKey(key) || _mappings.ContainsKey(key);

    /// <summary>A scalar value, or null when absent or null.</summary>
    public string? GetString(string key) => _scalars.GetValueOrDefault(key);

    /// <summary>An integer value, or null when absent, null or not an integer.</summary>
    public long? GetInt64(string key) =>
        _scalars.GetValueOrDefault(key) is { } text && long.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>A nested mapping (empty when absent).</summary>
    public IReadOnlyDictionary<string, string?> GetMapping(string key) =>
        _mappings.TryGetValue(key, out var mapping) ? mapping : new Dictionary<string, string?>();

    private bool TryParseSimple(string text)
    {
        Dictionary<string, string?>? nested = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == ' ')
            {
                if (nested is null || !line.StartsWith("  ", StringComparison.Ordinal) || line.Length < 3 || line[2] == ' ')
                {
                    return false;
                }

                if (!TrySplit(line.AsSpan(2), out var innerKey, out var innerValue) || innerValue.Length == 0 || !TryScalar(innerValue, out var scalar, out var shape) || shape != Shape.Scalar)
                {
                    return false;
                }

                nested[innerKey] = scalar;
                continue;
            }

            if (line[0] == '-')
            {
                if (nested is null || nested.Count > 0)
                {
                    return false;
                }

                continue; // list items (only the legacy run "tags" list has them): not needed
            }

            if (line[0] is '#' or '%' || line.StartsWith("---", StringComparison.Ordinal) || !TrySplit(line, out var key, out var rest))
            {
                return false;
            }

            nested = null;
            if (rest.Length == 0)
            {
                nested = new Dictionary<string, string?>(StringComparer.Ordinal);
                _mappings[key] = nested;
                continue;
            }

            if (!TryScalar(rest, out var value, out var kind))
            {
                return false;
            }

            if (kind == Shape.EmptyMapping)
            {
                _mappings[key] = new Dictionary<string, string?>(StringComparer.Ordinal);
            }
            else if (kind == Shape.Scalar)
            {
                _scalars[key] = value;
            }
        }

        return true;
    }

    private static bool TrySplit(ReadOnlySpan<char> line, out string key, out ReadOnlySpan<char> rest)
    {
        key = string.Empty;
        rest = default;
        var colon = line.IndexOf(": ");
        if (colon < 0)
        {
            if (line.Length > 1 && line[^1] == ':' && line[..^1].IndexOfAny("'\"{[#") < 0)
            {
                key = line[..^1].ToString();
                return true;
            }

            return false;
        }

        var keySpan = line[..colon];
        if (keySpan.Length == 0 || keySpan.IndexOfAny("'\"{[#") >= 0)
        {
            return false;
        }

        key = keySpan.ToString();
        rest = line[(colon + 2)..].TrimStart(' ');
        return true;
    }

    private enum Shape
    {
        Scalar,
        EmptyMapping,
        EmptyList,
    }

    private static bool TryScalar(ReadOnlySpan<char> text, out string? value, out Shape shape)
    {
        value = null;
        shape = Shape.Scalar;
        switch (text[0])
        {
            case '\'':
                if (text.Length < 2 || text[^1] != '\'')
                {
                    return false;
                }

                var inner = text[1..^1];
                var builder = new StringBuilder(inner.Length);
                for (var i = 0; i < inner.Length; i++)
                {
                    if (inner[i] == '\'')
                    {
                        if (i + 1 >= inner.Length || inner[i + 1] != '\'')
                        {
                            return false;
                        }

                        i++;
                    }

                    builder.Append(inner[i]);
                }

                value = builder.ToString();
                return true;
            case '"':
                return TryDoubleQuoted(text, out value);
            case '{':
                shape = Shape.EmptyMapping;
                return text.SequenceEqual("{}");
            case '[':
                shape = Shape.EmptyList;
                return text.SequenceEqual("[]");
            case '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`' or '#':
                return false;
        }

        if (text.Contains(" #", StringComparison.Ordinal) || text.Contains(": ", StringComparison.Ordinal))
        {
            return false;
        }

        var plain = text.TrimEnd(' ').ToString();
        value = plain is "~" or "null" or "Null" or "NULL" ? null : plain;
        return true;
    }

    private static bool TryDoubleQuoted(ReadOnlySpan<char> text, out string? value)
    {
        value = null;
        if (text.Length < 2 || text[^1] != '"')
        {
            return false;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 1; i < text.Length - 1; i++)
        {
            var ch = text[i];
            if (ch == '"')
            {
                return false;
            }

            if (ch != '\\')
            {
                builder.Append(ch);
                continue;
            }

            if (++i >= text.Length - 1)
            {
                return false;
            }

            switch (text[i])
            {
                case '\\': builder.Append('\\'); break;
                case '"': builder.Append('"'); break;
                case '/': builder.Append('/'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case '0': builder.Append('\0'); break;
                case 'x' or 'u' or 'U':
                    var digits = text[i] switch { 'x' => 2, 'u' => 4, _ => 8 };
                    if (i + digits > text.Length - 2 || !int.TryParse(text.Slice(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        return false;
                    }

                    builder.Append(char.ConvertFromUtf32(code));
                    i += digits;
                    break;
                default:
                    return false;
            }
        }

        value = builder.ToString();
        return true;
    }

    private void ParseWithYamlDotNet(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException error)
        {
            throw new FormatException($"Invalid YAML: {error.Message}", error);
        }

        if (stream.Documents.Count == 0)
        {
            throw new FormatException("The YAML file is empty.");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("The YAML file is not a mapping.");
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                continue;
            }

            switch (valueNode)
            {
                case YamlScalarNode scalar:
                    _scalars[key] = ScalarValue(scalar);
                    break;
                case YamlMappingNode mapping:
                    var nested = new Dictionary<string, string?>(StringComparer.Ordinal);
                    foreach (var (innerKey, innerValue) in mapping.Children)
                    {
                        if (innerKey is YamlScalarNode { Value: { } name } && innerValue is YamlScalarNode inner)
                        {
                            nested[name] = ScalarValue(inner);
                        }
                    }

                    _mappings[key] = nested;
                    break;
            }
        }
    }

    private static string? ScalarValue(YamlScalarNode scalar) =>
        scalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL"
            ? null
            : scalar.Value ?? string.Empty;
}
