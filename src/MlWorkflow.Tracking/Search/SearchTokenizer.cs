using System.Globalization;

namespace MlWorkflow.Tracking.Search;

/// <summary>
/// Splits a filter or order_by string into tokens. Identifiers are <c>part[.key]</c>, split at the first dot, where the
/// first part is a bare word (letters, digits, <c>_</c>) or backtick-quoted, and the key is bare (letters, digits,
/// <c>_</c> and dots) or quoted with backticks or double quotes. Quoted text doubles its quote character to contain it
/// (<c>'it''s'</c>); there are no backslash escapes.
/// </summary>
internal static class SearchTokenizer
{
    /// <summary>Tokenizes <paramref name="input"/>; the last token is always <see cref="SearchTokenKind.End"/>.</summary>
    /// <exception cref="MlflowException">An unterminated quote, a malformed number or a character outside the grammar.</exception>
    public static List<SearchToken> Tokenize(string input, SearchTextKind kind)
    {
        var tokens = new List<SearchToken>();
        var i = 0;
        while (true)
        {
            while (i < input.Length && char.IsWhiteSpace(input[i]))
            {
                i++;
            }

            if (i >= input.Length)
            {
                break;
            }

            var c = input[i];
            var start = i;
            if (IsWordStart(c) || c == '`')
            {
                tokens.Add(ReadIdentifier(input, ref i, kind));
            }
            else if (IsNumberStart(input, i))
            {
                tokens.Add(ReadNumber(input, ref i, kind));
            }
            else if (c is '\'' or '"')
            {
                var text = ReadQuoted(input, ref i, kind);
                var tokenKind = c == '\'' ? SearchTokenKind.SingleQuotedString : SearchTokenKind.DoubleQuotedString;
                tokens.Add(new SearchToken(tokenKind, text, start, i - start));
            }
            else if (IsOperatorChar(c))
            {
                while (i < input.Length && IsOperatorChar(input[i]))
                {
                    i++;
                }

                tokens.Add(new SearchToken(SearchTokenKind.Operator, input[start..i], start, i - start));
            }
            else
            {
                var single = c switch
                {
                    '(' => SearchTokenKind.LeftParenthesis,
                    ')' => SearchTokenKind.RightParenthesis,
                    ',' => SearchTokenKind.Comma,
                    ';' => SearchTokenKind.Semicolon,
                    _ => throw SearchSyntax.Error(
                        kind, input, start, c.ToString(), "unexpected character; keys with spaces or symbols must be quoted with backticks, as in metrics.`f1-score`"),
                };
                i++;
                tokens.Add(new SearchToken(single, c.ToString(), start, 1));
            }
        }

        tokens.Add(new SearchToken(SearchTokenKind.End, string.Empty, input.Length, 0));
        return tokens;
    }

    private static bool IsWordStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static bool IsOperatorChar(char c) => c is '=' or '<' or '>' or '!';

    private static bool IsDigitAt(string input, int i) => i < input.Length && char.IsAsciiDigit(input[i]);

    private static bool IsNumberStart(string input, int i)
    {
        var c = input[i];
        if (c is '+' or '-')
        {
            i++;
            if (i >= input.Length)
            {
                return false;
            }

            c = input[i];
        }

        return char.IsAsciiDigit(c) || (c == '.' && IsDigitAt(input, i + 1));
    }

    private static SearchToken ReadIdentifier(string input, ref int i, SearchTextKind kind)
    {
        var start = i;
        string first;
        var firstQuoted = input[i] == '`';
        if (firstQuoted)
        {
            first = ReadQuoted(input, ref i, kind);
        }
        else
        {
            while (i < input.Length && IsWordChar(input[i]))
            {
                i++;
            }

            first = input[start..i];
        }

        if (i >= input.Length || input[i] != '.')
        {
            return new SearchToken(SearchTokenKind.Identifier, first, start, i - start, IsQuoted: firstQuoted);
        }

        i++; // the first dot splits entity from key
        string key;
        var keyQuoted = i < input.Length && input[i] is '`' or '"';
        if (keyQuoted)
        {
            key = ReadQuoted(input, ref i, kind);
        }
        else
        {
            var keyStart = i;
            while (i < input.Length && (IsWordChar(input[i]) || input[i] == '.'))
            {
                i++;
            }

            key = input[keyStart..i];
            if (key.Length == 0)
            {
                throw SearchSyntax.Error(kind, input, start, input[start..i], "a key is missing after the dot");
            }
        }

        return new SearchToken(SearchTokenKind.Identifier, key, start, i - start, Entity: first, IsQuoted: keyQuoted);
    }

    private static SearchToken ReadNumber(string input, ref int i, SearchTextKind kind)
    {
        var start = i;
        if (input[i] is '+' or '-')
        {
            i++;
        }

        while (IsDigitAt(input, i))
        {
            i++;
        }

        if (i < input.Length && input[i] == '.')
        {
            i++;
            while (IsDigitAt(input, i))
            {
                i++;
            }
        }

        if (i < input.Length && input[i] is 'e' or 'E')
        {
            var exponent = i + 1;
            if (exponent < input.Length && input[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (IsDigitAt(input, exponent))
            {
                i = exponent;
                while (IsDigitAt(input, i))
                {
                    i++;
                }
            }
        }

        if (i < input.Length && (IsWordChar(input[i]) || input[i] == '.'))
        {
            var end = i;
            while (end < input.Length && (IsWordChar(input[end]) || input[end] == '.'))
            {
                end++;
            }

            throw SearchSyntax.Error(kind, input, start, input[start..end], "malformed number");
        }

        var text = input[start..i];
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new SearchToken(SearchTokenKind.Number, text, start, i - start, Number: value);
    }

    private static string ReadQuoted(string input, ref int i, SearchTextKind kind)
    {
        var quote = input[i];
        var start = i;
        i++;
        System.Text.StringBuilder? escaped = null;
        var segmentStart = i;
        while (i < input.Length)
        {
            if (input[i] != quote)
            {
                i++;
                continue;
            }

            if (i + 1 < input.Length && input[i + 1] == quote)
            {
                // A doubled quote stands for one quote character, as in SQL.
                escaped ??= new System.Text.StringBuilder();
                escaped.Append(input, segmentStart, i - segmentStart + 1);
                i += 2;
                segmentStart = i;
                continue;
            }

            var text = escaped is null
                ? input[segmentStart..i]
                : escaped.Append(input, segmentStart, i - segmentStart).ToString();
            i++;
            return text;
        }

        throw SearchSyntax.Error(kind, input, start, input[start..], $"unterminated quoted text (no closing {quote})");
    }
}
