using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Trainers.FastTree;

namespace MlWorkflow.Serving.Scoring;

/// <summary>
/// A regression tree ensemble (FastTree, FastForest, LightGBM) laid out flat for fast evaluation: every tree's nodes in
/// one array of 8-byte nodes in depth-first order (a left child is the next node), leaf values in another. Rows are
/// evaluated tree by tree in blocks, so one tree stays in cache while the block's rows go through it; with AVX2, eight rows
/// walk a tree at once (gathered loads). Its predictions are ML.NET's: the same comparisons (<c>value &lt;= threshold</c>
/// goes left, so NaN goes right), the same double sum in tree order, cast to float and divided as ML.NET does; tests compare
/// the two on real data.
/// </summary>
internal sealed class TreeEnsembleEvaluator
{
    // Rows per block: every tree is walked by a block's rows before the next tree, so a tree is read from memory once per block.
    private const int BlockRows = 128;

    // A leaf's threshold is a NaN carrying the leaf's index within its tree in these payload bits.
    private const int LeafPayloadMask = 0x3FFFFF;
    private const int QuietNaNBits = 0x7FC00000;

    private readonly Node[] _nodes;
    private readonly double[] _leaves;
    private readonly int[] _roots;
    private readonly int[] _leafStarts;
    private readonly double _bias;
    private readonly float _divisor;
    private readonly int _featureBits;
    private readonly int _featureMask;

    private TreeEnsembleEvaluator(Node[] nodes, double[] leaves, int[] roots, int[] leafStarts, double bias, float divisor, int featureCount, int featureBits)
    {
        _nodes = nodes;
        _leaves = leaves;
        _roots = roots;
        _leafStarts = leafStarts;
        _bias = bias;
        _divisor = divisor;
        FeatureCount = featureCount;
        _featureBits = featureBits;
        _featureMask = (1 << featureBits) - 1;
    }

    /// <summary>The length of the feature vector the trees read: one past the largest feature index any split uses.</summary>
    public int FeatureCount { get; }

    /// <summary>Whether <see cref="Predict"/> walks eight rows at once (AVX2) or row by row on this processor.</summary>
    public static bool IsVectorized => Avx2.IsSupported;

    /// <summary>
    /// Lays the ensemble out flat, or returns null when it has something this evaluator does not do (categorical splits, a
    /// tree too large for the packed node): the caller then keeps ML.NET's own evaluation. The sum is cast to float and
    /// divided by <paramref name="divisor"/>, as ML.NET does (FastForest divides by its number of trees, FastTree by 1).
    /// </summary>
    public static TreeEnsembleEvaluator? TryCreate(RegressionTreeEnsemble ensemble, float divisor) =>
        TryCreate(ensemble.Trees, ensemble.TreeWeights, ensemble.Bias, divisor);

    /// <inheritdoc cref="TryCreate(RegressionTreeEnsemble, float)"/>
    public static TreeEnsembleEvaluator? TryCreate(QuantileRegressionTreeEnsemble ensemble, float divisor) =>
        TryCreate(ensemble.Trees, ensemble.TreeWeights, ensemble.Bias, divisor);

    private static TreeEnsembleEvaluator? TryCreate(IReadOnlyList<RegressionTreeBase> trees, IReadOnlyList<double> weights, double bias, float divisor)
    {
        if (trees.Any(t => t.CategoricalSplitFlags.Any(c => c) || t.NumberOfLeaves > LeafPayloadMask + 1))
        {
            return null;
        }

        var features = trees.Select(t => t.NumericalSplitFeatureIndexes.DefaultIfEmpty(0).Max() + 1).DefaultIfEmpty(1).Max();
        var featureBits = Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)(features - 1)));
        if (featureBits > 24)
        {
            return null;
        }

        var nodes = new List<Node>();
        var leaves = new List<double>();
        var roots = new int[trees.Count];
        var leafStarts = new int[trees.Count];
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            leafStarts[t] = leaves.Count;

            // The tree's weight is folded into its leaves: one multiply less per tree and row.
            leaves.AddRange(tree.LeafValues.Select(v => v * weights[t]));
            roots[t] = nodes.Count;
            if (tree.NumberOfNodes == 0)
            {
                // A tree of one leaf has no split node.
                nodes.Add(Node.Leaf(0));
                continue;
            }

            if (!Lay(tree, featureBits, nodes))
            {
                return null;
            }
        }

        return new TreeEnsembleEvaluator([.. nodes], [.. leaves], roots, leafStarts, bias, divisor, features, featureBits);
    }

    /// <summary>
    /// Writes a tree in depth-first order: a split node, its left subtree right after it, then its right subtree, whose
    /// distance the node keeps beside its feature; a leaf is a node that a walk never leaves (see <see cref="Node.Leaf"/>).
    /// </summary>
    private static bool Lay(RegressionTreeBase tree, int featureBits, List<Node> nodes)
    {
        // An explicit stack, so that a deep tree cannot overflow the call stack. Each entry: a child (negative: a leaf) and
        // the split node whose right child it is (-1 for a left child, which simply comes next).
        var stack = new Stack<(int Child, int RightOf)>();
        stack.Push((0, -1));
        while (stack.Count > 0)
        {
            var (child, rightOf) = stack.Pop();
            var at = nodes.Count;
            if (rightOf >= 0)
            {
                var distance = at - rightOf;
                if (distance >= 1 << (31 - featureBits))
                {
                    return false;
                }

                nodes[rightOf] = nodes[rightOf] with { Meta = nodes[rightOf].Meta | (distance << featureBits) };
            }

            if (child < 0)
            {
                nodes.Add(Node.Leaf(~child));
                continue;
            }

            nodes.Add(new Node(tree.NumericalSplitThresholds[child], tree.NumericalSplitFeatureIndexes[child]));
            stack.Push((tree.RightChild[child], at));
            stack.Push((tree.LeftChild[child], -1));
        }

        return true;
    }

    /// <summary>
    /// Predicts <paramref name="output"/>.Length rows whose features are <paramref name="features"/>, row after row,
    /// <paramref name="stride"/> values each; every prediction is a float value, ML.NET's <c>Score</c>, held as a double.
    /// </summary>
    public void Predict(ReadOnlySpan<float> features, int stride, Span<double> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, FeatureCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(features.Length, output.Length * stride, nameof(features));
        output.Clear();
        for (var start = 0; start < output.Length; start += BlockRows)
        {
            var rows = Math.Min(BlockRows, output.Length - start);
            var block = output.Slice(start, rows);
            var x = features.Slice(start * stride, rows * stride);
            var vectorRows = Avx2.IsSupported ? rows & ~7 : 0;
            if (vectorRows > 0)
            {
                PredictEights(x, stride, block[..vectorRows]);
            }

            if (vectorRows < rows)
            {
                PredictRows(x[(vectorRows * stride)..], stride, block[vectorRows..]);
            }
        }

        for (var r = 0; r < output.Length; r++)
        {
            // ML.NET's own rounding: the double sum to float first, then a float division (a forest's mean).
            output[r] = (float)(output[r] + _bias) / _divisor;
        }
    }

    /// <summary>Adds every tree's leaf value to <paramref name="output"/> (at most <see cref="BlockRows"/> rows, a multiple of eight), eight rows walking a tree at once.</summary>
    private unsafe void PredictEights(ReadOnlySpan<float> features, int stride, Span<double> output)
    {
        var vectors = output.Length / 8;
        Span<Vector256<int>> at = stackalloc Vector256<int>[BlockRows / 8];
        Span<Vector256<int>> rowStarts = stackalloc Vector256<int>[BlockRows / 8];
        Span<int> walking = stackalloc int[BlockRows / 8];
        for (var v = 0; v < vectors; v++)
        {
            rowStarts[v] = (Vector256.Create(v * 8) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7)) * stride;
        }

        var featureMask = Vector256.Create(_featureMask);
        var distanceShift = Vector128.CreateScalar(_featureBits);
        var payload = Vector256.Create(LeafPayloadMask);

        // Two gathered 8-byte nodes per four lanes, then thresholds and metas separated: fewer loads than gathering each half.
        var halves = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        fixed (Node* nodes = _nodes)
        fixed (double* leafValues = _leaves)
        fixed (float* x = features)
        fixed (double* sums = output)
        {
            for (var t = 0; t < _roots.Length; t++)
            {
                var root = Vector256.Create(_roots[t]);
                for (var v = 0; v < vectors; v++)
                {
                    at[v] = root;
                    walking[v] = v;
                }

                // Each pass steps every group of eight rows still walking; a group whose eight rows all stand on leaves drops out.
                var count = vectors;
                while (count > 0)
                {
                    var kept = 0;
                    for (var j = 0; j < count; j++)
                    {
                        var v = walking[j];
                        var node = at[v];
                        var low = Avx2.PermuteVar8x32(Avx2.GatherVector256((long*)nodes, node.GetLower(), 8).AsInt32(), halves);
                        var high = Avx2.PermuteVar8x32(Avx2.GatherVector256((long*)nodes, node.GetUpper(), 8).AsInt32(), halves);
                        var meta = Avx2.Permute2x128(low, high, 0x31);
                        if (meta == Vector256<int>.Zero)
                        {
                            continue;
                        }

                        walking[kept++] = v;
                        var threshold = Avx2.Permute2x128(low, high, 0x20).AsSingle();
                        var value = Avx2.GatherVector256(x, rowStarts[v] + (meta & featureMask), 4);

                        // ML.NET's test: value <= threshold goes left (the next node); NaN, or a leaf's NaN threshold, takes the stored distance (0 at a leaf).
                        var left = Avx.Compare(value, threshold, FloatComparisonMode.OrderedLessThanOrEqualNonSignaling).AsInt32();
                        at[v] = node + Vector256.ConditionalSelect(left, Vector256<int>.One, Avx2.ShiftRightArithmetic(meta, distanceShift));
                    }

                    count = kept;
                }

                var leafStart = Vector256.Create(_leafStarts[t]);
                for (var v = 0; v < vectors; v++)
                {
                    var leaf = (Avx2.GatherVector256((int*)nodes, at[v], 8) & payload) + leafStart;
                    var sum = sums + (v * 8);
                    Vector256.Store(Vector256.Load(sum) + Avx2.GatherVector256(leafValues, leaf.GetLower(), 8), sum);
                    Vector256.Store(Vector256.Load(sum + 4) + Avx2.GatherVector256(leafValues, leaf.GetUpper(), 8), sum + 4);
                }
            }
        }
    }

    /// <summary>Adds every tree's leaf value to <paramref name="output"/>, four rows walking a tree at once, without branches on the comparisons.</summary>
    private void PredictRows(ReadOnlySpan<float> features, int stride, Span<double> output)
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var x = ref MemoryMarshal.GetReference(features);
        var rows = output.Length;
        var bits = _featureBits;
        var mask = _featureMask;
        for (var t = 0; t < _roots.Length; t++)
        {
            var root = _roots[t];
            var leaves = _leaves.AsSpan(_leafStarts[t]);
            var r = 0;

            // Four rows at a time: their walks are independent, so the processor overlaps their memory reads.
            for (; r + 4 <= rows; r += 4)
            {
                ref var x0 = ref Unsafe.Add(ref x, r * stride);
                ref var x1 = ref Unsafe.Add(ref x0, stride);
                ref var x2 = ref Unsafe.Add(ref x1, stride);
                ref var x3 = ref Unsafe.Add(ref x2, stride);
                int n0 = root, n1 = root, n2 = root, n3 = root;
                while ((Unsafe.Add(ref nodes, n0).Meta | Unsafe.Add(ref nodes, n1).Meta | Unsafe.Add(ref nodes, n2).Meta | Unsafe.Add(ref nodes, n3).Meta) != 0)
                {
                    n0 = Step(ref nodes, n0, ref x0, bits, mask);
                    n1 = Step(ref nodes, n1, ref x1, bits, mask);
                    n2 = Step(ref nodes, n2, ref x2, bits, mask);
                    n3 = Step(ref nodes, n3, ref x3, bits, mask);
                }

                output[r] += leaves[Unsafe.Add(ref nodes, n0).LeafIndex];
                output[r + 1] += leaves[Unsafe.Add(ref nodes, n1).LeafIndex];
                output[r + 2] += leaves[Unsafe.Add(ref nodes, n2).LeafIndex];
                output[r + 3] += leaves[Unsafe.Add(ref nodes, n3).LeafIndex];
            }

            for (; r < rows; r++)
            {
                ref var xr = ref Unsafe.Add(ref x, r * stride);
                var n = root;
                while (Unsafe.Add(ref nodes, n).Meta != 0)
                {
                    n = Step(ref nodes, n, ref xr, bits, mask);
                }

                output[r] += leaves[Unsafe.Add(ref nodes, n).LeafIndex];
            }
        }
    }

    /// <summary>One step down a tree, as a value (no branch on the comparison); a walk at a leaf stays there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref Node nodes, int n, ref float x, int bits, int mask)
    {
        var node = Unsafe.Add(ref nodes, n);

        // ML.NET's test: value <= threshold goes left (the next node), so NaN goes right (the stored distance; 0 at a leaf).
        var left = Unsafe.Add(ref x, node.Meta & mask) <= node.Threshold;
        var distance = node.Meta >> bits;
        return n + distance + ((1 - distance) & -Unsafe.BitCast<bool, byte>(left));
    }

    /// <summary>
    /// 8 bytes: a split's threshold and, packed, its feature (low bits) and the distance to its right subtree (high bits); or
    /// a leaf: meta 0 (feature 0, distance 0) and a NaN threshold whose payload is the leaf's index within its tree, so that
    /// a walk standing on it goes "right" by 0 and stays.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Node(float Threshold, int Meta)
    {
        public int LeafIndex => BitConverter.SingleToInt32Bits(Threshold) & LeafPayloadMask;

        public static Node Leaf(int index) => new(BitConverter.Int32BitsToSingle(QuietNaNBits | index), 0);
    }
}
