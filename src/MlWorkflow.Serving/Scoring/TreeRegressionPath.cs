using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace MlWorkflow.Serving.Scoring;

/// <summary>
/// The fast path of a tree-ensemble regression model (FastTree, FastForest, LightGBM): ML.NET's own transforms build
/// the feature vectors, then <see cref="TreeEnsembleEvaluator"/> walks the trees for the whole batch. Anything else (other
/// trainers, categorical splits, a chain not ending in the regressor) is not recognised and keeps ML.NET's path.
/// </summary>
internal sealed class TreeRegressionPath
{
    private readonly ITransformer _featurizer;
    private readonly string _featureColumn;
    private readonly DataViewSchema _inputSchema;
    private readonly int _stride;

    // Featurizing mappers bound once to the input schema, one per request in flight.
    private readonly ConcurrentBag<IRowToRowMapper> _mappers = [];

    private TreeRegressionPath(ITransformer featurizer, string featureColumn, DataViewSchema inputSchema, TreeEnsembleEvaluator evaluator, int stride)
    {
        _featurizer = featurizer;
        _featureColumn = featureColumn;
        _inputSchema = inputSchema;
        Evaluator = evaluator;
        _stride = stride;
    }

    public TreeEnsembleEvaluator Evaluator { get; }

    /// <summary>ML.NET's transforms before the regressor: they build the feature vectors.</summary>
    public ITransformer Featurizer => _featurizer;

    /// <summary>The name of the feature vector column the trees read.</summary>
    public string FeatureColumn => _featureColumn;

    /// <summary>The fast path for <paramref name="model"/>, or null when it is not a tree-ensemble regression this path knows.</summary>
    public static TreeRegressionPath? TryCreate(ITransformer model, DataViewSchema inputSchema)
    {
        var steps = new List<ITransformer>();
        Flatten(model, steps);
        if (steps.Count == 0 || steps[^1] is not ISingleFeaturePredictionTransformer<object> predictor
            || !predictor.GetType().IsGenericType || predictor.GetType().GetGenericTypeDefinition() != typeof(RegressionPredictionTransformer<>))
        {
            return null;
        }

        var evaluator = predictor.Model switch
        {
            // A forest's score is the mean of its trees.
            FastForestRegressionModelParameters forest => TreeEnsembleEvaluator.TryCreate(forest.TrainedTreeEnsemble, Math.Max(1, forest.TrainedTreeEnsemble.Trees.Count)),
            FastTreeRegressionModelParameters boosted => TreeEnsembleEvaluator.TryCreate(boosted.TrainedTreeEnsemble, 1),
            TreeEnsembleModelParametersBasedOnRegressionTree other when other.GetType().Name == "LightGbmRegressionModelParameters" => TreeEnsembleEvaluator.TryCreate(other.TrainedTreeEnsemble, 1),
            _ => null,
        };
        if (evaluator is null)
        {
            return null;
        }

        ITransformer featurizer = new TransformerChain<ITransformer>(steps.Take(steps.Count - 1).ToArray());
        var features = featurizer.GetOutputSchema(inputSchema).GetColumnOrNull(predictor.FeatureColumnName);
        if (!featurizer.IsRowToRowMapper || features?.Type is not VectorDataViewType { Size: > 0 } vector || vector.ItemType != NumberDataViewType.Single)
        {
            return null;
        }

        return new TreeRegressionPath(featurizer, predictor.FeatureColumnName, inputSchema, evaluator, Math.Max(vector.Size, evaluator.FeatureCount));
    }

    /// <summary>The length of one row's feature vector in the matrices <see cref="Featurize"/> fills.</summary>
    public int Stride => _stride;

    /// <summary>Predicts every row of <paramref name="input"/> into <paramref name="output"/>.</summary>
    public void Predict(IDataView input, Span<double> output, CancellationToken cancellationToken)
    {
        var rows = output.Length;
        var features = ArrayPool<float>.Shared.Rent(rows * _stride);
        try
        {
            Featurize(input, features.AsSpan(0, rows * _stride), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            Evaluator.Predict(features.AsSpan(0, rows * _stride), _stride, output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(features);
        }
    }

    /// <summary>Runs ML.NET's featurizing transforms over the rows and lays their feature vectors out densely, <see cref="Stride"/> values a row.</summary>
    public void Featurize(IDataView input, Span<float> features, CancellationToken cancellationToken)
    {
        var rows = features.Length / _stride;
        var mapper = _mappers.TryTake(out var pooled) ? pooled : _featurizer.GetRowToRowMapper(_inputSchema);
        var column = mapper.OutputSchema[_featureColumn];
        using (var cursor = input.GetRowCursor(input.Schema))
        using (var row = mapper.GetRow(cursor, [column]))
        {
            var getter = row.GetGetter<VBuffer<float>>(column);
            VBuffer<float> vector = default;
            var r = 0;
            while (r < rows && cursor.MoveNext())
            {
                if (r % ScoringModel.CheckEveryRows == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                getter(ref vector);
                var destination = features.Slice(r * _stride, _stride);
                if (vector.IsDense)
                {
                    vector.GetValues().CopyTo(destination);
                }
                else
                {
                    destination.Clear();
                    var indices = vector.GetIndices();
                    var values = vector.GetValues();
                    for (var i = 0; i < indices.Length; i++)
                    {
                        destination[indices[i]] = values[i];
                    }
                }

                r++;
            }
        }

        _mappers.Add(mapper);
    }

    private static void Flatten(ITransformer transformer, List<ITransformer> steps)
    {
        if (transformer is IEnumerable<ITransformer> chain)
        {
            foreach (var step in chain)
            {
                Flatten(step, steps);
            }
        }
        else
        {
            steps.Add(transformer);
        }
    }
}
