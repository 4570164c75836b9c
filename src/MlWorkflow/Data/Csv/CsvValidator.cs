using Microsoft.ML.Data;
using Microsoft.Win32.SafeHandles;

namespace MlWorkflow.Data.Csv;

/// <summary>Checks a whole CSV file before it is handed to ML.NET's loader: the number of fields per row, closed quotes, and that
/// numeric and boolean fields hold what their column's type can parse. Large files are split at line breaks and the parts checked
/// in parallel; errors name the exact line all the same.</summary>
internal static class CsvValidator
{
    /// <summary>Files smaller than two of these are checked in one piece (threads would cost more than they save).</summary>
    private const long MinimumChunkBytes = 4L << 20;

    /// <summary>Checks the file in as many chunks as there are processors (one for files under 8 MB).</summary>
    public static Task<CsvValidation> ValidateAsync(string path, IReadOnlyList<CsvColumn> columns, CsvOptions options, CancellationToken cancellationToken) =>
        ValidateAsync(path, columns, options, (int)Math.Clamp(new FileInfo(path).Length / MinimumChunkBytes, 1, Environment.ProcessorCount), cancellationToken);

    /// <summary>Checks the file split into (at most) <paramref name="chunks"/> chunks checked in parallel; the outcome does not depend on
    /// the number of chunks.</summary>
    public static async Task<CsvValidation> ValidateAsync(string path, IReadOnlyList<CsvColumn> columns, CsvOptions options, int chunks, CancellationToken cancellationToken)
    {
        if (options.Separator > 127)
        {
            throw new ArgumentException("The separator must be an ASCII character.", nameof(options));
        }

        var separator = (byte)options.Separator;
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(file);
        var starts = ChunkStarts(file, HasByteOrderMark(file) ? 3 : 0, length, Math.Max(1, chunks), options.MaxFieldLength);
        var scanners = starts.Select((_, k) => new CsvChunkScanner(columns, options.RealType, separator, k == 0 && options.HasHeader, options.MaxFieldLength)).ToArray();
        await Task.WhenAll(scanners.Select((scanner, k) =>
            Task.Run(() => scanner.Scan(file, starts[k], k + 1 < starts.Count ? starts[k + 1] : length, cancellationToken), cancellationToken))).ConfigureAwait(false);

        var kinds = columns.ToArray();
        long lines = 0;
        long rows = 0;
        var multiline = false;
        var missingReals = false;
        for (var k = 0; k < scanners.Length; k++)
        {
            var scanner = scanners[k];
            var last = k + 1 == scanners.Length;
            if (scanner.Error is { UnclosedQuoteAtEnd: true } && !last)
            {
                // A quoted field runs on past this chunk, so the later chunks did not start at a record boundary: check the rest in order.
                var rest = new CsvChunkScanner(kinds, options.RealType, separator, k == 0 && options.HasHeader, options.MaxFieldLength);
                await Task.Run(() => rest.Scan(file, starts[k], length, cancellationToken), cancellationToken).ConfigureAwait(false);
                scanner = rest;
                last = true;
            }

            if (scanner.Error is { } error)
            {
                throw new DataSourceException(error.Message, path, lines + error.Line, column: error.Column);
            }

            for (var c = 0; c < kinds.Length; c++)
            {
                if (WideningRank(scanner.Columns[c].Kind) > WideningRank(kinds[c].Kind))
                {
                    kinds[c] = scanner.Columns[c];
                }
            }

            rows += scanner.Rows;
            lines += scanner.Lines;
            multiline |= scanner.HasMultilineFields;
            missingReals |= scanner.HasMissingReals;
            if (last)
            {
                break;
            }
        }

        return new CsvValidation(kinds, multiline, rows, missingReals);
    }

    /// <summary>How far an inferred column has been widened: Int32 &lt; Int64 &lt; real; Boolean &lt; String.</summary>
    private static int WideningRank(DataKind kind) => kind switch
    {
        DataKind.Int64 or DataKind.String => 1,
        DataKind.Single or DataKind.Double => 2,
        _ => 0,
    };

    private static bool HasByteOrderMark(SafeFileHandle file)
    {
        Span<byte> head = stackalloc byte[3];
        return RandomAccess.Read(file, head, 0) == 3 && head.SequenceEqual("\uFEFF"u8);
    }

    /// <summary>Where each chunk starts: <paramref name="begin"/>, then just after the first line break past each even share of the
    /// file. A break inside a quoted field is caught later (the chunk before it ends inside the quote). The search for a break
    /// gives up after <paramref name="searchLimit"/> bytes: the file is then split no further, so a hostile file without line
    /// breaks is not read to its end here but stopped by the field limit in the first chunk.</summary>
    private static List<long> ChunkStarts(SafeFileHandle file, long begin, long length, int count, long searchLimit)
    {
        var starts = new List<long> { begin };
        Span<byte> block = stackalloc byte[4096];
        for (var k = 1; k < count; k++)
        {
            var position = Math.Max(begin + ((length - begin) * k / count), starts[^1]);
            var searchStart = position;
            while (true)
            {
                if (position - searchStart > searchLimit)
                {
                    return starts;
                }

                var read = RandomAccess.Read(file, block, position);
                if (read == 0)
                {
                    return starts;
                }

                var newline = block[..read].IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    position += newline + 1;
                    break;
                }

                position += read;
            }

            if (position >= length)
            {
                return starts;
            }

            starts.Add(position);
        }

        return starts;
    }
}
