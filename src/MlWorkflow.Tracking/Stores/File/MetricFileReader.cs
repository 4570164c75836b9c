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
        Report(ForEachPoint(path, (in Point point, long _) =>
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
    /// <paramref name="hasMore"/> says whether a point follows. Only the page's points are kept in memory.
    /// </summary>
    public static List<Metric> ReadPage(string path, string key, long offset, int count, out bool hasMore)
    {
        var page = new List<Metric>(Math.Min(count, 1024));
        var more = false;
        Report(ForEachPoint(path, (in Point point, long index) =>
        {
            if (index < offset)
            {
                return true;
            }

            if (page.Count == count)
            {
                more = true;
                return false;
            }

            page.Add(point.ToMetric(key));
            return true;
        }));
        hasMore = more;
        return page;
    }

    /// <summary>Counts skipped lines on <c>mlworkflow.tracking.file.skipped_lines</c>, so damage is visible, not silent.</summary>
    private static void Report(long skipped)
    {
        if (skipped > 0)
        {
            FileStoreDiagnostics.SkippedLines.Add(skipped);
        }
    }

    private delegate bool PointVisitor(in Point point, long index);

    /// <summary>Calls <paramref name="visit"/> for every well-formed point in order until it returns false; returns the number of malformed lines.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot per-line loop: optimised from the first call
    private static long ForEachPoint(string path, PointVisitor visit)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var skipped = 0L;
        var index = 0L;
        try
        {
            using (stream)
            {
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
                    var start = 0;
                    while (true)
                    {
                        var newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start);
                        if (newline < 0)
                        {
                            break;
                        }

                        var line = buffer.AsSpan(start, newline - start);
                        start = newline + 1;
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

                        if (!visit(point, index++))
                        {
                            return skipped;
                        }
                    }

                    // Keep the unfinished line; a line longer than the buffer cannot be a point: drop it up to its break.
                    var rest = filled - start;
                    if (rest == buffer.Length)
                    {
                        discarding = true;
                        filled = 0;
                    }
                    else
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, rest);
                        filled = rest;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses one line of exactly MLflow's format without allocating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot per-line loop: optimised from the first call
    internal static bool TryParse(ReadOnlySpan<byte> line, out Point point)
    {
        point = default;
        if (line.Length > MaxLineBytes)
        {
            return false;
        }

        Span<char> text = stackalloc char[line.Length];
        for (var i = 0; i < line.Length; i++)
        {
            var b = line[i];
            if (b is < 0x20 or >= 0x7F)
            {
                // MLflow writes plain ASCII; anything else is damage (3.x dataset names are ASCII identifiers in practice).
                return false;
            }

            text[i] = (char)b;
        }

        return TryParse(text, out point);
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
