using System.Buffers.Binary;

namespace MlWorkflow.Data.Parquet;

/// <summary>Checks a Parquet file's tail before Parquet.Net reads it: the closing <c>PAR1</c> magic and a footer length that fits
/// in the file and within <see cref="ColumnarReadOptions.MaxParquetFooterLength"/>, so a corrupt or hostile length is refused
/// before anything is allocated for it.</summary>
internal static class ParquetFooter
{
    /// <summary>Bytes of the file layout around the footer: <c>PAR1</c> at the start, then the 4-byte length and <c>PAR1</c> at the end.</summary>
    private const int MagicLength = 4;

    /// <summary>Throws a <see cref="DataSourceException"/> naming the file and the byte offset of the footer length when the tail is
    /// not a sane Parquet tail. The stream's position is restored.</summary>
    public static void Check(Stream stream, string path, int maxFooterBytes)
    {
        var length = stream.Length;
        if (length < (3 * MagicLength) + 1)
        {
            throw new DataSourceException($"Not a Parquet file: {length} bytes is too short to hold the PAR1 markers and a footer", path);
        }

        var position = stream.Position;
        Span<byte> tail = stackalloc byte[2 * MagicLength];
        stream.Position = length - tail.Length;
        stream.ReadExactly(tail);
        stream.Position = position;
        if (!tail[MagicLength..].SequenceEqual("PAR1"u8))
        {
            throw new DataSourceException("Not a Parquet file: it does not end with the PAR1 marker (an encrypted or truncated file?)", path, byteOffset: length - MagicLength);
        }

        // The footer length is a little-endian unsigned 32-bit number just before the closing marker.
        var footer = (long)BinaryPrimitives.ReadUInt32LittleEndian(tail);
        var lengthOffset = length - tail.Length;
        if (footer > length - (3 * MagicLength))
        {
            throw new DataSourceException(
                $"The Parquet footer claims {footer} bytes but the file has only {length}: the file is truncated or corrupt", path, byteOffset: lengthOffset);
        }

        if (footer > maxFooterBytes)
        {
            throw new DataSourceException(
                $"The Parquet footer claims {footer} bytes, more than the {maxFooterBytes} of ColumnarReadOptions.MaxParquetFooterLength; raise the limit if the file is trusted",
                path,
                byteOffset: lengthOffset);
        }
    }
}
