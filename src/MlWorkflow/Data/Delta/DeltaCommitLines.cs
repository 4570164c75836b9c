using System.Buffers;
using System.Runtime.CompilerServices;

namespace MlWorkflow.Data.Delta;

/// <summary>The lines of a Delta commit file as UTF-8 bytes, each held to a byte limit so that a hostile line costs at most the
/// limit in memory.</summary>
internal static class DeltaCommitLines
{
    /// <summary>Yields each line (1-based number, bytes without the line break); the bytes are valid until the next line is read.</summary>
    public static async IAsyncEnumerable<(long Line, ReadOnlyMemory<byte> Bytes)> ReadAsync(
        string path, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException($"Cannot read the Delta commit: {e.Message}", path, innerException: e);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            await using (stream.ConfigureAwait(false))
            {
                long line = 1;
                var start = 0;
                var filled = 0;
                var scanned = 0;
                while (true)
                {
                    var newline = buffer.AsSpan(scanned, filled - scanned).IndexOf((byte)'\n');
                    if (newline >= 0)
                    {
                        var end = scanned + newline;
                        CheckLength(end - start, maxLineBytes, path, line);
                        yield return (line, buffer.AsMemory(start, TrimCarriageReturn(buffer, start, end) - start));
                        line++;
                        start = scanned = end + 1;
                        continue;
                    }

                    scanned = filled;
                    CheckLength(filled - start, maxLineBytes, path, line);
                    if (start > 0)
                    {
                        buffer.AsSpan(start, filled - start).CopyTo(buffer);
                        (filled, scanned, start) = (filled - start, scanned - start, 0);
                    }

                    if (filled == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, filled).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        if (filled > start)
                        {
                            yield return (line, buffer.AsMemory(start, TrimCarriageReturn(buffer, start, filled) - start));
                        }

                        yield break;
                    }

                    filled += read;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int TrimCarriageReturn(byte[] buffer, int start, int end) => end > start && buffer[end - 1] == '\r' ? end - 1 : end;

    private static void CheckLength(long length, int maxLineBytes, string path, long line)
    {
        if (length > maxLineBytes)
        {
            throw new DataSourceException(
                $"A line of the Delta commit is longer than {maxLineBytes} bytes (ColumnarReadOptions.MaxDeltaLogLineLength); raise the limit if the table is trusted",
                path,
                line);
        }
    }
}
