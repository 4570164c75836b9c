using System.Numerics;

namespace MlWorkflow.Exploration;

/// <summary>
/// HyperLogLog (Flajolet et al., 2007) with 2^14 one-byte registers: a distinct count within about 1% in 16 KiB, for
/// columns with more distinct values than <see cref="DataProfileOptions.ExactDistinctLimit"/>. Hashes are deterministic,
/// so the same data gives the same estimate in every process.
/// </summary>
internal sealed class DistinctEstimator
{
    private const int Bits = 14;
    private const int Registers = 1 << Bits;
    private readonly byte[] _registers = new byte[Registers];

    public void Add(ulong hash)
    {
        var index = (int)(hash >> (64 - Bits));
        var rest = (hash << Bits) | (1UL << (Bits - 1));
        var rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > _registers[index])
        {
            _registers[index] = rank;
        }
    }

    public long Estimate()
    {
        double sum = 0;
        var zeros = 0;
        foreach (var register in _registers)
        {
            sum += Math.ScaleB(1, -register);
            zeros += register == 0 ? 1 : 0;
        }

        var alpha = 0.7213 / (1 + (1.079 / Registers));
        var estimate = alpha * Registers * Registers / sum;
        // Small cardinalities: linear counting is more accurate while registers are still empty.
        if (estimate <= 2.5 * Registers && zeros > 0)
        {
            estimate = Registers * Math.Log(Registers / (double)zeros);
        }

        return (long)Math.Round(estimate);
    }

    public static ulong Hash(double value) => Mix((ulong)BitConverter.DoubleToInt64Bits(value == 0 ? 0 : value));

    public static ulong Hash(string value)
    {
        // FNV-1a over the UTF-16 code units, then a finaliser that spreads the bits.
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return Mix(hash);
    }

    // SplitMix64's finaliser.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}
