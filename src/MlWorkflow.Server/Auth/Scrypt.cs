using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace MlWorkflow.Server.Auth;

/// <summary>
/// scrypt (RFC 7914), which .NET does not ship: Werkzeug 3's <c>generate_password_hash</c>, and so MLflow's auth app on a
/// current install, writes <c>scrypt:N:r:p$salt$hex</c> hashes, which a shared auth database must verify here too.
/// </summary>
internal static class Scrypt
{
    /// <summary>The largest memory one check may take (<c>128 · r · N</c> bytes): Werkzeug's default parameters need 32 MiB.</summary>
    public const long MaxMemoryBytes = 256L * 1024 * 1024;

    /// <summary>Whether the parameters are ones this class computes: N a power of two above 1, r and p positive, memory within <see cref="MaxMemoryBytes"/>.</summary>
    public static bool Supports(long n, int r, int p) =>
        n > 1 && (n & (n - 1)) == 0 && r > 0 && p > 0 && (long)r * p < (1 << 30) && 128L * r * n <= MaxMemoryBytes && 128L * r * p <= int.MaxValue;

    /// <summary>The derived key of <paramref name="length"/> bytes; the parameters must satisfy <see cref="Supports"/>.</summary>
    public static byte[] DeriveKey(byte[] password, byte[] salt, int n, int r, int p, int length)
    {
        var blockBytes = 128 * r;
        var b = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1, HashAlgorithmName.SHA256, p * blockBytes);
        var x = new uint[32 * r];
        var v = new uint[32 * r * n];
        var y = new uint[32 * r];
        for (var i = 0; i < p; i++)
        {
            var block = b.AsSpan(i * blockBytes, blockBytes);
            for (var k = 0; k < x.Length; k++)
            {
                x[k] = BinaryPrimitives.ReadUInt32LittleEndian(block[(k * 4)..]);
            }

            RoMix(x, v, y, n, r);
            for (var k = 0; k < x.Length; k++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(block[(k * 4)..], x[k]);
            }
        }

        return Rfc2898DeriveBytes.Pbkdf2(password, b, 1, HashAlgorithmName.SHA256, length);
    }

    private static void RoMix(uint[] x, uint[] v, uint[] y, int n, int r)
    {
        var words = 32 * r;
        for (var i = 0; i < n; i++)
        {
            Array.Copy(x, 0, v, i * words, words);
            BlockMix(x, y, r);
        }

        for (var i = 0; i < n; i++)
        {
            // Integerify: the first word of the last 64-byte block, modulo N (a power of two).
            var j = (int)(x[(2 * r - 1) * 16] & (uint)(n - 1));
            var row = v.AsSpan(j * words, words);
            for (var k = 0; k < words; k++)
            {
                x[k] ^= row[k];
            }

            BlockMix(x, y, r);
        }
    }

    /// <summary>scryptBlockMix with Salsa20/8, in place on <paramref name="b"/> (<paramref name="y"/> is scratch of the same size).</summary>
    private static void BlockMix(uint[] b, uint[] y, int r)
    {
        Span<uint> t = stackalloc uint[16];
        b.AsSpan((2 * r - 1) * 16, 16).CopyTo(t);
        for (var i = 0; i < 2 * r; i++)
        {
            var block = b.AsSpan(i * 16, 16);
            for (var k = 0; k < 16; k++)
            {
                t[k] ^= block[k];
            }

            Salsa208(t);

            // Even blocks go to the first half, odd blocks to the second.
            t.CopyTo(y.AsSpan(((i & 1) * r + (i >> 1)) * 16, 16));
        }

        y.AsSpan().CopyTo(b);
    }

    private static void Salsa208(Span<uint> b)
    {
        uint x0 = b[0], x1 = b[1], x2 = b[2], x3 = b[3], x4 = b[4], x5 = b[5], x6 = b[6], x7 = b[7];
        uint x8 = b[8], x9 = b[9], x10 = b[10], x11 = b[11], x12 = b[12], x13 = b[13], x14 = b[14], x15 = b[15];
        for (var i = 0; i < 8; i += 2)
        {
            x4 ^= BitOperations.RotateLeft(x0 + x12, 7); x8 ^= BitOperations.RotateLeft(x4 + x0, 9);
            x12 ^= BitOperations.RotateLeft(x8 + x4, 13); x0 ^= BitOperations.RotateLeft(x12 + x8, 18);
            x9 ^= BitOperations.RotateLeft(x5 + x1, 7); x13 ^= BitOperations.RotateLeft(x9 + x5, 9);
            x1 ^= BitOperations.RotateLeft(x13 + x9, 13); x5 ^= BitOperations.RotateLeft(x1 + x13, 18);
            x14 ^= BitOperations.RotateLeft(x10 + x6, 7); x2 ^= BitOperations.RotateLeft(x14 + x10, 9);
            x6 ^= BitOperations.RotateLeft(x2 + x14, 13); x10 ^= BitOperations.RotateLeft(x6 + x2, 18);
            x3 ^= BitOperations.RotateLeft(x15 + x11, 7); x7 ^= BitOperations.RotateLeft(x3 + x15, 9);
            x11 ^= BitOperations.RotateLeft(x7 + x3, 13); x15 ^= BitOperations.RotateLeft(x11 + x7, 18);
            x1 ^= BitOperations.RotateLeft(x0 + x3, 7); x2 ^= BitOperations.RotateLeft(x1 + x0, 9);
            x3 ^= BitOperations.RotateLeft(x2 + x1, 13); x0 ^= BitOperations.RotateLeft(x3 + x2, 18);
            x6 ^= BitOperations.RotateLeft(x5 + x4, 7); x7 ^= BitOperations.RotateLeft(x6 + x5, 9);
            x4 ^= BitOperations.RotateLeft(x7 + x6, 13); x5 ^= BitOperations.RotateLeft(x4 + x7, 18);
            x11 ^= BitOperations.RotateLeft(x10 + x9, 7); x8 ^= BitOperations.RotateLeft(x11 + x10, 9);
            x9 ^= BitOperations.RotateLeft(x8 + x11, 13); x10 ^= BitOperations.RotateLeft(x9 + x8, 18);
            x12 ^= BitOperations.RotateLeft(x15 + x14, 7); x13 ^= BitOperations.RotateLeft(x12 + x15, 9);
            x14 ^= BitOperations.RotateLeft(x13 + x12, 13); x15 ^= BitOperations.RotateLeft(x14 + x13, 18);
        }

        b[0] += x0; b[1] += x1; b[2] += x2; b[3] += x3; b[4] += x4; b[5] += x5; b[6] += x6; b[7] += x7;
        b[8] += x8; b[9] += x9; b[10] += x10; b[11] += x11; b[12] += x12; b[13] += x13; b[14] += x14; b[15] += x15;
    }
}
