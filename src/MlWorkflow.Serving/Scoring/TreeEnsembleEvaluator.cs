using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.Trainers.FastTree;

namespace MlWorkflow.Serving.Scoring;

/// <summary>
/// A regression tree ensemble (FastTree, FastForest, LightGBM) laid out flat for fast evaluation: every tree's split
/// nodes in one array of 16-byte nodes, every leaf value in another, a child reached without a branch. A batch is
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

    private TreeEnsembleEvaluator(Node[] nodes, double[] leaves, int[] roots, double bias, double scale, int featureCount)
    {
        _nodes = nodes;
        _leaves = leaves;
        _roots = roots;
        _bias = bias;
        _scale = scale;
        FeatureCount = featureCount;
    }

    /// <summary>The length of the feature vector the trees read: one past the largest feature index any split uses.</summary>
    public int FeatureCount { get; }

    /// <summary>
    /// Lays the ensemble out flat, or returns null when it has something this evaluator does not do (categorical splits):
    /// the caller then keeps ML.NET's own evaluation. <paramref name="scale"/> multiplies the sum (FastForest averages its trees).
    /// </summary>
    public static TreeEnsembleEvaluator? TryCreate(RegressionTreeEnsemble ensemble, double scale) =>
        TryCreate(ensemble.Trees, ensemble.TreeWeights, ensemble.Bias, scale);

    /// <inheritdoc cref="TryCreate(RegressionTreeEnsemble, double)"/>
    public static TreeEnsembleEvaluator? TryCreate(QuantileRegressionTreeEnsemble ensemble, double scale) =>
        TryCreate(ensemble.Trees, ensemble.TreeWeights, ensemble.Bias, scale);

    private static TreeEnsembleEvaluator? TryCreate(IReadOnlyList<RegressionTreeBase> trees, IReadOnlyList<double> weights, double bias, double scale)
    {
        var nodes = new List<Node>();
        var leaves = new List<double>();
        var roots = new int[trees.Count];
        var features = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            if (tree.CategoricalSplitFlags.Any(c => c))
            {
                return null;
            }

            var nodeBase = nodes.Count;
            var leafBase = leaves.Count;

            // The tree's weight is folded into its leaves: one multiply less per tree and row.
            leaves.AddRange(tree.LeafValues.Select(v => v * weights[t]));
            int Child(int child) => child >= 0 ? nodeBase + child : ~(leafBase + ~child);
            for (var n = 0; n < tree.NumberOfNodes; n++)
            {
                var feature = tree.NumericalSplitFeatureIndexes[n];
                features = Math.Max(features, feature + 1);
                nodes.Add(new Node(feature, tree.NumericalSplitThresholds[n], Child(tree.LeftChild[n]), Child(tree.RightChild[n])));
            }

            // A tree of one leaf has no split node: its root is the leaf itself.
            roots[t] = tree.NumberOfNodes == 0 ? ~leafBase : nodeBase;
        }

        return new TreeEnsembleEvaluator([.. nodes], [.. leaves], roots, bias, scale, features);
    }

    /// <summary>Predicts <paramref name="output"/>.Length rows whose features are <paramref name="features"/>, row after row, <paramref name="stride"/> values each.</summary>
    public void Predict(ReadOnlySpan<float> features, int stride, Span<double> output)
    {
        output.Clear();
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var leaves = ref MemoryMarshal.GetArrayDataReference(_leaves);
        ref var x = ref MemoryMarshal.GetReference(features);
        var rows = output.Length;
        foreach (var root in _roots)
        {
            var r = 0;

            // Four rows at a time: their walks are independent, so the processor overlaps their memory reads.
            for (; r + 4 <= rows; r += 4)
            {
                ref var x0 = ref Unsafe.Add(ref x, r * stride);
                ref var x1 = ref Unsafe.Add(ref x0, stride);
                ref var x2 = ref Unsafe.Add(ref x1, stride);
                ref var x3 = ref Unsafe.Add(ref x2, stride);
                int n0 = root, n1 = root, n2 = root, n3 = root;
                while ((n0 & n1 & n2 & n3) >= 0)
                {
                    n0 = Step(ref nodes, n0, ref x0);
                    n1 = Step(ref nodes, n1, ref x1);
                    n2 = Step(ref nodes, n2, ref x2);
                    n3 = Step(ref nodes, n3, ref x3);
                }

                output[r] += Unsafe.Add(ref leaves, ~n0);
                output[r + 1] += Unsafe.Add(ref leaves, ~n1);
                output[r + 2] += Unsafe.Add(ref leaves, ~n2);
                output[r + 3] += Unsafe.Add(ref leaves, ~n3);
            }

            for (; r < rows; r++)
            {
                ref var xr = ref Unsafe.Add(ref x, r * stride);
                var n = root;
                while (n >= 0)
                {
                    n = Step(ref nodes, n, ref xr);
                }

                output[r] += Unsafe.Add(ref leaves, ~n);
            }
        }

        for (var r = 0; r < rows; r++)
        {
            output[r] = (output[r] + _bias) * _scale;
        }
    }

    /// <summary>One step down a tree; a walk that has reached a leaf (negative) stays there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref Node nodes, int n, ref float x)
    {
        if (n < 0)
        {
            return n;
        }

        ref var node = ref Unsafe.Add(ref nodes, n);

        // ML.NET's test: value <= threshold goes left (so NaN goes right).
        return Unsafe.Add(ref x, node.Feature) <= node.Threshold ? node.Left : node.Right;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Node(int Feature, float Threshold, int Left, int Right);
}
