namespace MlWorkflow.Tracking.Search;

/// <summary>
/// A compiled SQL LIKE pattern: <c>%</c> matches any run of characters (empty included, newlines included), <c>_</c>
/// exactly one UTF-16 character, anything else (a dot too) only itself; anchored at both ends; no escape character.
/// ILIKE compares characters after <see cref="char.ToLowerInvariant(char)"/>. Matching allocates nothing and runs in
/// O(text × pattern) at worst: the pattern is split at <c>%</c> into fixed-width segments, and the leftmost place for each
/// middle segment is always a right choice.
/// </summary>
/// <remarks>
/// MLflow's FileStore turns the pattern into a regular expression without escaping, so there a dot means any
/// character; its SQL stores treat a dot literally. We follow SQL: a dot is a dot.
/// </remarks>
internal sealed class LikePattern
{
    private readonly string[] segments;
    private readonly bool ignoreCase;
    private readonly int minimumLength;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    public LikePattern(string pattern, bool ignoreCase)
    {
        this.ignoreCase = ignoreCase;
        segments = (ignoreCase ? pattern.ToLowerInvariant() : pattern).Split('%');
        minimumLength = pattern.Length - (segments.Length - 1);
    }

    /// <summary>Whether <paramref name="text"/> matches the whole pattern.</summary>
    public bool IsMatch(string text)
    {
        if (text.Length < minimumLength)
        {
            return false;
        }

        var first = segments[0];
        if (segments.Length == 1)
        {
            return text.Length == first.Length && SegmentMatchesAt(first, text, 0);
        }

        var last = segments[^1];
        var end = text.Length - last.Length;
        if (!SegmentMatchesAt(first, text, 0) || !SegmentMatchesAt(last, text, end))
        {
            return false;
        }

        var position = first.Length;
        for (var s = 1; s < segments.Length - 1; s++)
        {
            var segment = segments[s];
            var found = -1;
            for (var p = position; p + segment.Length <= end; p++)
            {
                if (SegmentMatchesAt(segment, text, p))
                {
                    found = p;
                    break;
                }
            }

            if (found < 0)
            {
                return false;
            }

            position = found + segment.Length;
        }

        return true;
    }

    private bool SegmentMatchesAt(string segment, string text, int start)
    {
        for (var k = 0; k < segment.Length; k++)
        {
            var expected = segment[k];
            if (expected == '_')
            {
                continue;
            }

            var actual = text[start + k];
            if (actual != expected && !(ignoreCase && char.ToLowerInvariant(actual) == expected))
            {
                return false;
            }
        }

        return true;
    }
}
