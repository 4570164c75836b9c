using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// Reads metric files as a stream of lines through one 64 KB buffer, so that memory does not grow with the file:
/// the latest value keeps one point, a history page keeps the page. A line counts only when it is exactly MLflow's
/// format (<c>timestamp value step</c>, the older <c>timestamp value</c>, or 3.x's <c>timestamp value step dataset
/// digest</c>, single spaces); any other line, and a last line without its line break (a write in progress or a
/// torn write), is skipped — damage never becomes a point, and one damaged line does not make the rest unreadable;
/// skipped complete lines are counted on the <c>mlworkflow.tracking.file.skipped_lines</c> instrument.
/// </summary>
internal static class MetricFileReader
{
    private const int BufferSize = 64 * 1024;

    /// <summary>The longest line that can be a point; a longer one is damage and skipped.</summary>
    private const int MaxLineBytes = 1024;

    /// <summary>The latest point of a metric file by MLflow's rule (highest step, then timestamp, then value), or null when it has none or does not exist.</summary>
    public static Metric? ReadLatest(string path, string key)
    {
        var best = default(Point);
        var found = false;
        Report(ForEachPoint(path, (in Point point, long _, long _) =>
        {
            if (!found || point.IsLaterThan(best))
            {
                best = point;
                found = true;
            }

            return true;
        }));
        return found ? best.ToMetric(key) : null;
    }

    /// <summary>
    /// The points <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="count"/> - 1 in file order;
    /// <paramref name="hasMore"/> says whether a point follows. Only the page's points are kept in memory. When
    /// <paramref name="position"/> is the byte position where point <paramref name="offset"/> starts (as the previous page
    /// returned it in <paramref name="nextPosition"/>), reading starts there, so a page costs what the page costs; a
    /// position that is not at a line start of the file as it is now is ignored and the file is read from its start.
    /// </summary>
    public static List<Metric> ReadPage(string path, string key, long offset, int count, out bool hasMore, long? position, out long nextPosition)
    {
        var page = new List<Metric>(Math.Min(count, 1024));
        hasMore = false;
        nextPosition = 0;
        using var stream = OpenToRead(path);
        if (stream is null)
        {
            return page;
        }

        // The position is checked on the handle that then reads: one open, and the file checked is the file read.
        var (start, startIndex) = position is { } p && IsLineStart(stream, p) ? (p, offset) : (0L, 0L);
        var more = false;
        var after = start;
        Report(ForEachPoint(
            stream,
            (in Point point, long index, long next) =>
            {
                if (index < offset)
                {
                    after = next;
                    return true;
                }

                if (page.Count == count)
                {
                    more = true;
                    return false;
                }

                page.Add(point.ToMetric(key));
                after = next;
                return true;
            },
            start,
            startIndex));
        hasMore = more;
        nextPosition = after;
        return page;
    }

    /// <summary>Every point of a metric file in file order, as columns: the same points <see cref="ReadPage"/> returns, without an object per point.</summary>
    public static MetricPoints ReadPoints(string path)
    {
        // About 25 bytes a line in practice: start near the final size, grow by doubling.
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            length = 0;
        }

        var capacity = (int)Math.Clamp(length / 24, 16, Array.MaxLength);
        var steps = new long[capacity];
        var timestamps = new long[capacity];
        var values = new double[capacity];
        var count = 0;
        Report(ForEachPoint(path, (in Point point, long _, long _) =>
        {
            if (count == steps.Length)
            {
                var grown = (int)Math.Min((long)count * 2, Array.MaxLength);
                Array.Resize(ref steps, grown);
                Array.Resize(ref timestamps, grown);
                Array.Resize(ref values, grown);
            }

            steps[count] = point.Step;
            timestamps[count] = point.Timestamp;
            values[count] = point.Value;
            count++;
            return true;
        }));
        return count == 0 ? MetricPoints.Empty : new MetricPoints(steps, timestamps, values, count);
    }

    /// <summary>Whether <paramref name="position"/> is inside the file and right after a line break (or at 0).</summary>
    private static bool IsLineStart(FileStream stream, long position)
    {
        if (position == 0)
        {
            return true;
        }

        try
        {
            if (position < 0 || position >= stream.Length)
            {
                return false;
            }

            stream.Position = position - 1;
            return stream.ReadByte() == '\n';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Opens a metric file for one sequential read, or returns null when it does not exist.</summary>
    private static FileStream? OpenToRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Counts skipped lines on <c>mlworkflow.tracking.file.skipped_lines</c>, so damage is visible, not silent.</summary>
    private static void Report(long skipped)
    {
        if (skipped > 0)
        {
            FileStoreDiagnostics.SkippedLines.Add(skipped);
        }
    }

    /// <summary>Visits one point: its index in the file and the byte position right after its line; returns whether to go on.</summary>
    private delegate bool PointVisitor(in Point point, long index, long next);

    /// <summary>
    /// Calls <paramref name="visit"/> for every well-formed point of the file in order, until it returns false; returns the
    /// number of malformed lines (none for a file that does not exist).
    /// </summary>
    private static long ForEachPoint(string path, PointVisitor visit)
    {
        using var stream = OpenToRead(path);
        return stream is null ? 0 : ForEachPoint(stream, visit, 0, 0);
    }

    /// <summary>The same on an open file (left open), from byte <paramref name="start"/>, a line start whose point has index <paramref name="startIndex"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot per-line loop: optimised from the first call
    private static long ForEachPoint(FileStream stream, PointVisitor visit, long start, long startIndex)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var skipped = 0L;
        var index = startIndex;
        try
        {
            stream.Position = start;

            // The file position of buffer[0].
            var bufferStart = start;
            var filled = 0;
            var discarding = false;
            while (true)
            {
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                if (read == 0)
                {
                    // What is left has no line break: a write in progress or a torn line, never a point.
                    return skipped;
                }

                filled += read;
                var lineStart = 0;
                while (true)
                {
                    var newline = Array.IndexOf(buffer, (byte)'\n', lineStart, filled - lineStart);
                    if (newline < 0)
                    {
                        break;
                    }

                    var line = buffer.AsSpan(lineStart, newline - lineStart);
                    lineStart = newline + 1;
                    if (discarding)
                    {
                        discarding = false;
                        skipped++;
                        continue;
                    }

                    if (line.Length > 0 && line[^1] == (byte)'\r')
                    {
                        line = line[..^1];
                    }

                    if (line.IsEmpty)
                    {
                        continue;
                    }

                    if (!TryParse(line, out var point))
                    {
                        skipped++;
                        continue;
                    }

                    if (!visit(point, index++, bufferStart + lineStart))
                    {
                        return skipped;
                    }
                }

                // Keep the unfinished line; a line longer than the buffer cannot be a point: drop it up to its break.
                var rest = filled - lineStart;
                if (rest == buffer.Length)
                {
                    discarding = true;
                    bufferStart += filled;
                    filled = 0;
                }
                else
                {
                    Buffer.BlockCopy(buffer, lineStart, buffer, 0, rest);
                    bufferStart += lineStart;
                    filled = rest;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Parses one line of exactly MLflow's format without allocating, straight from its UTF-8 bytes (the same rules as the
    /// text overload: printable ASCII only, single spaces, 2, 3 or 5 fields, integral timestamp and step).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot per-line loop: optimised from the first call
    internal static bool TryParse(ReadOnlySpan<byte> line, out Point point)
    {
        point = default;

        // MLflow writes plain ASCII; anything else is damage (3.x dataset names are ASCII identifiers in practice).
        if (line.Length > MaxLineBytes || line.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
        {
            return false;
        }

        // Fields split at single spaces; an empty field (two spaces, a leading or trailing space) is damage.
        var first = line.IndexOf((byte)' ');
        if (first <= 0)
        {
            return false;
        }

        var timestampText = line[..first];
        var rest = line[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        var valueText = second < 0 ? rest : rest[..second];
        if (valueText.IsEmpty || !TryParseInteger(timestampText, out var timestamp) || !TryParseValue(valueText, out var value))
        {
            return false;
        }

        long step = 0;
        if (second >= 0)
        {
            rest = rest[(second + 1)..];
            var third = rest.IndexOf((byte)' ');
            var stepText = third < 0 ? rest : rest[..third];
            if (stepText.IsEmpty || !TryParseInteger(stepText, out step))
            {
                return false;
            }

            if (third >= 0)
            {
                // 3.x adds exactly two more fields (dataset name and digest), both non-empty.
                rest = rest[(third + 1)..];
                var fourth = rest.IndexOf((byte)' ');
                if (fourth <= 0 || fourth == rest.Length - 1 || rest[(fourth + 1)..].Contains((byte)' '))
                {
                    return false;
                }
            }
        }

        point = new Point(timestamp, value, step);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot per-line loop: optimised from the first call
    private static bool TryParseInteger(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var digits = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
        if (digits.Length is 0 or > 19 || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return false;
        }

        if (digits.Length == 19)
        {
            // Only 19 digits can overflow a long: leave those to the framework's checked parse.
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        long magnitude = 0;
        foreach (var digit in digits)
        {
            magnitude = (magnitude * 10) + (digit - '0');
        }

        value = digits.Length == text.Length ? magnitude : -magnitude;
        return true;
    }

    /// <summary>A value as <see cref="MetricFileFormat.TryParseValue"/> reads it (Python's <c>float()</c> spellings too), from ASCII bytes.</summary>
    private static bool TryParseValue(ReadOnlySpan<byte> text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        // Rare spellings (nan, inf, Infinity in any case): the line is short printable ASCII, so read it as text.
        Span<char> chars = stackalloc char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            chars[i] = (char)text[i];
        }

        return MetricFileFormat.TryParseValue(chars, out value);
    }

    /// <summary>Parses one line (without its break) of exactly MLflow's format: single spaces, 2, 3 or 5 fields, integral timestamp and step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot per-line loop: optimised from the first call
    internal static bool TryParse(ReadOnlySpan<char> line, out Point point)
    {
        point = default;
        Span<Range> parts = stackalloc Range[6];
        var count = line.Split(parts, ' ');
        if (count is not (2 or 3 or 5))
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (line[parts[i]].IsEmpty)
            {
                return false;
            }
        }

        if (!TryParseInteger(line[parts[0]], out var timestamp) || !MetricFileFormat.TryParseValue(line[parts[1]], out var value))
        {
            return false;
        }

        long step = 0;
        if (count >= 3 && !TryParseInteger(line[parts[2]], out step))
        {
            return false;
        }

        point = new Point(timestamp, value, step);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot per-line loop: optimised from the first call
    private static bool TryParseInteger(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        var digits = text.Length > 0 && text[0] == '-' ? text[1..] : text;
        return digits.Length is > 0 and <= 19
            && !digits.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>One parsed point, before it becomes a <see cref="Metric"/> (no allocation while scanning).</summary>
    internal readonly record struct Point(long Timestamp, double Value, long Step)
    {
        /// <summary>Whether this point is later than <paramref name="other"/> by MLflow's rule: highest (step, timestamp, value).</summary>
        public bool IsLaterThan(in Point other) =>
            Step != other.Step ? Step > other.Step
            : Timestamp != other.Timestamp ? Timestamp > other.Timestamp
            : Value > other.Value; // NaN compares neither larger nor smaller: the first one seen stays, as in Python.

        public Metric ToMetric(string key) => new(key, Value, Timestamp, Step);
    }
}
