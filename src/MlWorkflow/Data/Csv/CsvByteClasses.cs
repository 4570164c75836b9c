using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MlWorkflow.Data.Csv;

/// <summary>Bit masks for 64 consecutive bytes of a CSV buffer: bit <c>i</c> of a mask is set when byte <c>i</c> is of that class.
/// Computed with vector compares so that field ends are found and numbers checked with bit operations, not byte by byte.</summary>
internal struct CsvByteClasses
{
    /// <summary>Separator, <c>\n</c> or <c>\r</c> (a quote matters only at the start of a field, which the reader looks at anyway).</summary>
    public ulong Structural;

    /// <summary><c>0</c>–<c>9</c>.</summary>
    public ulong Digit;

    /// <summary><c>+</c> or <c>-</c>.</summary>
    public ulong Sign;

    /// <summary><c>.</c>.</summary>
    public ulong Dot;

    /// <summary>How many mask entries a buffer of <paramref name="length"/> bytes needs (one spare, so that a field may be read
    /// across two entries without a bounds branch).</summary>
    public static int EntriesFor(int length) => (length >> 6) + 2;

    /// <summary>Fills <paramref name="classes"/> for <paramref name="data"/>; entries past the data are all zero.</summary>
    public static void Classify(ReadOnlySpan<byte> data, Span<CsvByteClasses> classes, byte separator)
    {
        var full = data.Length >> 6;
        ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data);
        for (var i = 0; i < full; i++)
        {
            classes[i] = Classify64(ref Unsafe.Add(ref start, i << 6), separator);
        }

        var rest = data.Length & 63;
        var next = full;
        if (rest > 0)
        {
            // Zero bytes belong to no class, so padding the tail with zeros sets no bits past the data.
            Span<byte> tail = stackalloc byte[64];
            tail.Clear();
            data[(full << 6)..].CopyTo(tail);
            classes[next++] = Classify64(ref tail[0], separator);
        }

        classes[next..EntriesFor(data.Length)].Clear();
    }

    /// <summary>The bits of one mask for the bytes from <paramref name="offset"/> within <paramref name="first"/> on, continuing into
    /// <paramref name="second"/> (the next entry), cut to <paramref name="lengthMask"/>; the first byte is the lowest bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Window(ulong first, ulong second, int offset, ulong lengthMask) =>
        (offset == 0 ? first : (first >> offset) | (second << (64 - offset))) & lengthMask;

    /// <summary>A mask with the lowest <paramref name="length"/> (1 to 64) bits set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LengthMask(int length) => length >= 64 ? ulong.MaxValue : (1UL << length) - 1;

    private static CsvByteClasses Classify64(ref byte source, byte separator)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var low = Classify32(Vector256.LoadUnsafe(ref source), separator);
            var high = Classify32(Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 32)), separator);
            return new CsvByteClasses
            {
                Structural = low.Structural | (high.Structural << 32),
                Digit = low.Digit | (high.Digit << 32),
                Sign = low.Sign | (high.Sign << 32),
                Dot = low.Dot | (high.Dot << 32),
            };
        }

        var result = default(CsvByteClasses);
        for (var quarter = 0; quarter < 4; quarter++)
        {
            var part = Classify16(Vector128.LoadUnsafe(ref Unsafe.Add(ref source, quarter << 4)), separator);
            var shift = quarter << 4;
            result.Structural |= part.Structural << shift;
            result.Digit |= part.Digit << shift;
            result.Sign |= part.Sign << shift;
            result.Dot |= part.Dot << shift;
        }

        return result;
    }

    private static CsvByteClasses Classify32(Vector256<byte> v, byte separator)
    {
        var structural = Vector256.Equals(v, Vector256.Create(separator)) | Vector256.Equals(v, Vector256.Create((byte)'\n'))
            | Vector256.Equals(v, Vector256.Create((byte)'\r'));
        return new CsvByteClasses
        {
            Structural = structural.ExtractMostSignificantBits(),
            Digit = Vector256.LessThan(v - Vector256.Create((byte)'0'), Vector256.Create((byte)10)).ExtractMostSignificantBits(),
            Sign = (Vector256.Equals(v, Vector256.Create((byte)'+')) | Vector256.Equals(v, Vector256.Create((byte)'-'))).ExtractMostSignificantBits(),
            Dot = Vector256.Equals(v, Vector256.Create((byte)'.')).ExtractMostSignificantBits(),
        };
    }

    private static CsvByteClasses Classify16(Vector128<byte> v, byte separator)
    {
        var structural = Vector128.Equals(v, Vector128.Create(separator)) | Vector128.Equals(v, Vector128.Create((byte)'\n'))
            | Vector128.Equals(v, Vector128.Create((byte)'\r'));
        return new CsvByteClasses
        {
            Structural = structural.ExtractMostSignificantBits(),
            Digit = Vector128.LessThan(v - Vector128.Create((byte)'0'), Vector128.Create((byte)10)).ExtractMostSignificantBits(),
            Sign = (Vector128.Equals(v, Vector128.Create((byte)'+')) | Vector128.Equals(v, Vector128.Create((byte)'-'))).ExtractMostSignificantBits(),
            Dot = Vector128.Equals(v, Vector128.Create((byte)'.')).ExtractMostSignificantBits(),
        };
    }
}
