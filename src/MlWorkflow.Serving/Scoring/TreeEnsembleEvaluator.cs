using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.Trainers.FastTree;

namespace MlWorkflow.Serving.Scoring;

/// <summary>
/// A regression tree ensemble (FastTree, FastForest, LightGBM) laid out flat for fast evaluation: every tree's nodes
/// in one array of 8-byte nodes in depth-first order (a left child is the next node), leaf values in another. A batch is
/// evaluated tree by tree over all its rows, so one tree stays in cache while the rows go through it. Its predictions
/// are ML.NET's: the same comparisons (<c>value &lt;= threshold</c> goes left, so NaN goes right), the same sum, bias and
/// scale; tests compare the two on real data.
/// </summary>
internal sealed class TreeEnsembleEvaluator
{
    private readonly Node[] _nodes;
    private readonly double[] _leaves;
    private readonly int[] _roots;
    private readonly double _bias;
    private readonly double _scale;
    private readonly int _featureBits;
    private readonly int _featureMask;

    private TreeEnsembleEvaluator(Node[] nodes, double[] leaves, int[] roots, double bias, double scale, int featureCount, int featureBits)
    {
        _nodes = nodes;
        _leaves = leaves;
        _roots = roots;
        _bias = bias;
        _scale = scale;
        FeatureCount = featureCount;
        _featureBits = featureBits;
        _featureMask = (1 << featureBits) - 1;
    }

    /// <summary>The length of the feature vector the trees read: one past the largest feature index any split uses.</summary>
    public int FeatureCount { get; }

    /// <summary>
    /// Lays the ensemble out flat, or returns null when it has something this evaluator does not do (categorical splits, a
    /// tree too large for the packed node): the caller then keeps ML.NET's own evaluation. <paramref name="scale"/>
    /// multiplies the sum (FastForest averages its trees).
    /// </summary>
    public static TreeEnsembleEvaluator? TryCreate(RegressionTreeEnsemble ensemble, double scale) =>
        TryCreate(ensemble.Trees, ensemble.TreeWeights, ensemble.Bias, scale);

    /// <inheritdoc cref="TryCreate(RegressionTreeEnsemble, double)"/>
    public static TreeEnsembleEvaluator? TryCreate(QuantileRegressionTreeEnsemble ensemble, double scale) =>
        TryCreate(ensemble.Trees, ensemble.TreeWeights, ensemble.Bias, scale);

    private static TreeEnsembleEvaluator? TryCreate(IReadOnlyList<RegressionTreeBase> trees, IReadOnlyList<double> weights, double bias, double scale)
    {
        if (trees.Any(t => t.CategoricalSplitFlags.Any(c => c)))
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
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            var leafBase = leaves.Count;

            // The tree's weight is folded into its leaves: one multiply less per tree and row.
            leaves.AddRange(tree.LeafValues.Select(v => v * weights[t]));
            roots[t] = nodes.Count;
            if (tree.NumberOfNodes == 0)
            {
                // A tree of one leaf has no split node.
                nodes.Add(new Node(0, ~leafBase));
                continue;
            }

            if (!Lay(tree, 0, leafBase, featureBits, nodes))
            {
                return null;
            }
        }

        return new TreeEnsembleEvaluator([.. nodes], [.. leaves], roots, bias, scale, features, featureBits);
    }

    /// <summary>
    /// Writes a subtree in depth-first order: a split node, its left subtree right after it, then its right subtree, whose
    /// distance the node keeps beside its feature; a leaf is a node holding its leaf's index, complemented (negative).
    /// </summary>
    private static bool Lay(RegressionTreeBase tree, int root, int leafBase, int featureBits, List<Node> nodes)
    {
        // An explicit stack, so that a deep tree cannot overflow the call stack. Each entry: a child (negative: a leaf) and
        // the split node whose right child it is (-1 for a left child, which simply comes next).
        var stack = new Stack<(int Child, int RightOf)>();
        stack.Push((root, -1));
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
                nodes.Add(new Node(0, ~(leafBase + ~child)));
                continue;
            }

            nodes.Add(new Node(tree.NumericalSplitThresholds[child], tree.NumericalSplitFeatureIndexes[child]));
            stack.Push((tree.RightChild[child], at));
            stack.Push((tree.LeftChild[child], -1));
        }

        return true;
    }

    /// <summary>Predicts <paramref name="output"/>.Length rows whose features are <paramref name="features"/>, row after row, <paramref name="stride"/> values each.</summary>
    public void Predict(ReadOnlySpan<float> features, int stride, Span<double> output)
    {
        output.Clear();
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var leaves = ref MemoryMarshal.GetArrayDataReference(_leaves);
        ref var x = ref MemoryMarshal.GetReference(features);
        var rows = output.Length;
        var bits = _featureBits;
        var mask = _featureMask;
        foreach (var root in _roots)
        {
            var rootMeta = Unsafe.Add(ref nodes, root).Meta;
            var r = 0;

            // Four rows at a time: their walks are independent, so the processor overlaps their memory reads.
            for (; r + 4 <= rows; r += 4)
            {
                ref var x0 = ref Unsafe.Add(ref x, r * stride);
                ref var x1 = ref Unsafe.Add(ref x0, stride);
                ref var x2 = ref Unsafe.Add(ref x1, stride);
                ref var x3 = ref Unsafe.Add(ref x2, stride);
                int n0 = root, n1 = root, n2 = root, n3 = root;
                int m0 = rootMeta, m1 = rootMeta, m2 = rootMeta, m3 = rootMeta;
                while ((m0 & m1 & m2 & m3) >= 0)
                {
                    Step(ref nodes, ref n0, ref m0, ref x0, bits, mask);
                    Step(ref nodes, ref n1, ref m1, ref x1, bits, mask);
                    Step(ref nodes, ref n2, ref m2, ref x2, bits, mask);
                    Step(ref nodes, ref n3, ref m3, ref x3, bits, mask);
                }

                output[r] += Unsafe.Add(ref leaves, ~m0);
                output[r + 1] += Unsafe.Add(ref leaves, ~m1);
                output[r + 2] += Unsafe.Add(ref leaves, ~m2);
                output[r + 3] += Unsafe.Add(ref leaves, ~m3);
            }

            for (; r < rows; r++)
            {
                ref var xr = ref Unsafe.Add(ref x, r * stride);
                int n = root, m = rootMeta;
                while (m >= 0)
                {
                    Step(ref nodes, ref n, ref m, ref xr, bits, mask);
                }

                output[r] += Unsafe.Add(ref leaves, ~m);
            }
        }

        for (var r = 0; r < rows; r++)
        {
            output[r] = (output[r] + _bias) * _scale;
        }
    }

    /// <summary>One step down a tree; a walk that has reached a leaf (negative meta) stays there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref Node nodes, ref int n, ref int meta, ref float x, int bits, int mask)
    {
        if (meta < 0)
        {
            return;
        }

        // ML.NET's test: value <= threshold goes left (the next node), so NaN goes right (the stored distance).
        n += Unsafe.Add(ref x, meta & mask) <= Unsafe.Add(ref nodes, n).Threshold ? 1 : meta >> bits;
        meta = Unsafe.Add(ref nodes, n).Meta;
    }

    /// <summary>
    /// 8 bytes: a split's threshold and, packed, its feature (low bits) and the distance to its right subtree (high bits);
    /// or, for a leaf, the leaf's index complemented (negative).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Node(float Threshold, int Meta);
}
