using MlWorkflow.Evaluation;

namespace MlWorkflow.AutoMl;

/// <summary>
/// Ensemble selection (Caruana, Niculescu-Mizil, Crew and Ksikes, "Ensemble selection from libraries of models", ICML 2004):
/// keeps the validation predictions of the best trial of each trainer, then adds trials
/// one at a time, with repeats, to an average of their predictions as long as the average scores better; a trial picked
/// k times has weight k over the number of picks. Only trials within twice the best loss take part, and the selection is
/// bagged over random halves of them, as the paper bags it against overfitting the validation rows; the bags' weights are
/// averaged.
/// </summary>
internal sealed class EnsembleSelection
{
    /// <summary>At most this many validation rows are kept per trial (split evenly over the folds).</summary>
    internal const int MaxStoredRows = 10_000;

    private const int MaxPicks = 20;
    private const int LikelyMembers = 2;
    private const int Bags = 20;
    private const int PatiencePicks = 5;
    private readonly string _metric;
    private readonly List<Entry> _pool = [];
    private double[]? _labels;
    private int[]? _foldStarts;

    public EnsembleSelection(string metric, int folds)
    {
        _metric = metric;
        PerFoldRows = Math.Max(1, MaxStoredRows / Math.Max(1, folds));
    }

    /// <summary>How many validation rows of each fold are kept.</summary>
    public int PerFoldRows { get; }

    /// <summary>The metrics a selection can score from predictions alone.</summary>
    public static bool Supports(string metric) =>
        metric is MetricNames.Rmse or MetricNames.Mse or MetricNames.Mae or MetricNames.R2 or MetricNames.Auc or MetricNames.Accuracy or MetricNames.LogLoss;

    /// <summary>Keeps a successful trial's validation predictions (fold by fold, as many rows as <see cref="PerFoldRows"/>) if it is the best of its trainer so far.</summary>
    public void Add(AutoMlTrial trial, double loss, IReadOnlyList<double[]> foldLabels, IReadOnlyList<float[]> foldPredictions)
    {
        if (_labels is null)
        {
            _foldStarts = new int[foldLabels.Count + 1];
            for (var f = 0; f < foldLabels.Count; f++)
            {
                _foldStarts[f + 1] = _foldStarts[f] + foldLabels[f].Length;
            }

            _labels = [.. foldLabels.SelectMany(l => l)];
        }

        var predictions = foldPredictions.SelectMany(p => p).ToArray();
        if (predictions.Length != _labels.Length)
        {
            return;
        }

        // The best trial of each trainer (as FLAML's ensemble stacks the best model of each learner): a different kind of
        // model errs on other rows, while the best few trials of one trainer err on the same ones.
        var index = _pool.FindIndex(e => e.Trial.Trainer.Name == trial.Trainer.Name);
        if (index < 0)
        {
            _pool.Add(new Entry(trial, loss, predictions));
        }
        else if (loss < _pool[index].Loss)
        {
            _pool[index] = new Entry(trial, loss, predictions);
        }
    }

    /// <summary>What refitting the two best trials kept would take, by <paramref name="cost"/>: the room an ensemble likely needs.</summary>
    public TimeSpan Reserve(Func<AutoMlTrial, TimeSpan> cost) =>
        _pool.OrderBy(e => e.Loss).Take(LikelyMembers).Aggregate(TimeSpan.Zero, (total, e) => total + cost(e.Trial));

    /// <summary>
    /// Picks the ensemble: the members with their weights (summing to 1, highest first) and the ensemble's loss on the
    /// validation rows, or null when fewer than two distinct trials would be averaged. Only trials within twice the best
    /// trial's loss take part (a far weaker trainer only dilutes the average). With three such trials or more the selection
    /// is bagged as Caruana et al. bag it: it runs on 20 random halves of them (seeded) and the weights are averaged, so that
    /// a trial a little behind the best on these validation rows keeps a share instead of losing it to their luck. Members
    /// join only while the <paramref name="cost"/> of their refits stays within <paramref name="available"/> (the lightest
    /// weights go first).
    /// </summary>
    public (IReadOnlyList<(AutoMlTrial Trial, double Weight)> Members, double Loss)? Select(Func<AutoMlTrial, TimeSpan> cost, TimeSpan? available, int seed)
    {
        if (_labels is null || _pool.Count < 2)
        {
            return null;
        }

        var pool = _pool.OrderBy(e => e.Loss).ThenBy(e => e.Trial.Number).ToArray();
        var costs = pool.Select(e => cost(e.Trial)).ToArray();
        var predictions = pool.Select(e => e.Predictions).ToArray();
        var competitive = pool.Select((e, c) => e.Loss <= (2 * pool[0].Loss) + 1e-12 && (available is not { } limit || costs[c] <= limit)).ToArray();
        double[] weights;
        if (competitive.Count(c => c) < 3)
        {
            weights = Greedy(predictions, competitive, costs, available);
        }
        else
        {
            weights = new double[pool.Length];
            var random = new Random(seed);
            for (var bag = 0; bag < Bags; bag++)
            {
                bool[] included;
                do
                {
                    included = [.. competitive.Select(c => c && random.NextDouble() < 0.5)];
                }
                while (included.Count(i => i) < 2);

                var chosen = Greedy(predictions, included, costs, available);
                for (var c = 0; c < weights.Length; c++)
                {
                    weights[c] += chosen[c] / Bags;
                }
            }
        }

        // Refits that must fit: the heaviest weights first, while their refits fit what is left.
        var spent = TimeSpan.Zero;
        foreach (var c in Enumerable.Range(0, pool.Length).OrderByDescending(c => weights[c]))
        {
            if (weights[c] > 0 && available is { } limit && spent + costs[c] > limit)
            {
                weights[c] = 0;
                continue;
            }

            spent += weights[c] > 0 ? costs[c] : TimeSpan.Zero;
        }

        var total = weights.Sum();
        var members = weights.Select((w, c) => (pool[c].Trial, Weight: w / total)).Where(m => m.Weight > 0)
            .OrderByDescending(m => m.Weight).ThenBy(m => m.Trial.Number).ToArray();
        if (members.Length < 2)
        {
            return null;
        }

        var average = new double[_labels.Length];
        for (var c = 0; c < pool.Length; c++)
        {
            var weight = weights[c] / total;
            if (weight > 0)
            {
                var values = pool[c].Predictions;
                for (var row = 0; row < average.Length; row++)
                {
                    average[row] += weight * values[row];
                }
            }
        }

        return (members, Loss(average));
    }

    // Greedy forward selection with repeats among the included trials: the weights (picks over picks) of the best prefix.
    private double[] Greedy(float[][] predictions, bool[] included, TimeSpan[] costs, TimeSpan? available)
    {
        var sum = new double[_labels!.Length];
        var average = new double[_labels.Length];
        var picks = new int[predictions.Length];
        var bestPicks = new int[predictions.Length];
        var bestLoss = double.PositiveInfinity;
        var spent = TimeSpan.Zero;
        var sinceBest = 0;
        for (var pick = 1; pick <= MaxPicks && sinceBest < PatiencePicks; pick++)
        {
            var chosen = -1;
            var chosenLoss = double.PositiveInfinity;
            for (var c = 0; c < predictions.Length; c++)
            {
                if (!included[c] || (picks[c] == 0 && available is { } limit && spent + costs[c] > limit))
                {
                    continue;
                }

                var values = predictions[c];
                for (var i = 0; i < sum.Length; i++)
                {
                    average[i] = (sum[i] + values[i]) / pick;
                }

                var loss = Loss(average);
                if (loss < chosenLoss)
                {
                    (chosen, chosenLoss) = (c, loss);
                }
            }

            if (chosen < 0)
            {
                break;
            }

            if (picks[chosen] == 0)
            {
                spent += costs[chosen];
            }

            picks[chosen]++;
            var added = predictions[chosen];
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += added[i];
            }

            if (chosenLoss < bestLoss - 1e-12)
            {
                (bestLoss, bestPicks, sinceBest) = (chosenLoss, (int[])picks.Clone(), 0);
            }
            else
            {
                sinceBest++;
            }
        }

        var total = (double)bestPicks.Sum();
        return [.. bestPicks.Select(p => total == 0 ? 0 : p / total)];
    }

    /// <summary>The loss (as <see cref="AutoMlMetrics.Loss"/>) of predictions, the mean over folds.</summary>
    internal double Loss(double[] predictions)
    {
        var labels = _labels!;
        var total = 0.0;
        var folds = _foldStarts!.Length - 1;
        for (var f = 0; f < folds; f++)
        {
            var start = _foldStarts[f];
            var length = _foldStarts[f + 1] - start;
            total += FoldLoss(_metric, labels.AsSpan(start, length), predictions.AsSpan(start, length));
        }

        return total / folds;
    }

    internal static double FoldLoss(string metric, ReadOnlySpan<double> labels, ReadOnlySpan<double> predictions)
    {
        var n = labels.Length;
        double total = 0;
        switch (metric)
        {
            case MetricNames.Rmse:
            case MetricNames.Mse:
                for (var i = 0; i < n; i++)
                {
                    total += (predictions[i] - labels[i]) * (predictions[i] - labels[i]);
                }

                return metric == MetricNames.Rmse ? Math.Sqrt(total / n) : total / n;
            case MetricNames.Mae:
                for (var i = 0; i < n; i++)
                {
                    total += Math.Abs(predictions[i] - labels[i]);
                }

                return total / n;
            case MetricNames.R2:
                var mean = 0.0;
                foreach (var label in labels)
                {
                    mean += label / n;
                }

                double residual = 0, spread = 0;
                for (var i = 0; i < n; i++)
                {
                    residual += (predictions[i] - labels[i]) * (predictions[i] - labels[i]);
                    spread += (labels[i] - mean) * (labels[i] - mean);
                }

                return spread == 0 ? double.PositiveInfinity : residual / spread;
            case MetricNames.Accuracy:
                for (var i = 0; i < n; i++)
                {
                    total += (predictions[i] > 0.5) == (labels[i] > 0) ? 1 : 0;
                }

                return 1 - (total / n);
            case MetricNames.LogLoss:
                for (var i = 0; i < n; i++)
                {
                    var p = Math.Clamp(predictions[i], 1e-15, 1 - 1e-15);
                    total -= labels[i] > 0 ? Math.Log(p) : Math.Log(1 - p);
                }

                return total / n;
            default:
                return 1 - Auc(labels, predictions);
        }
    }

    // The area under the ROC curve as the Mann-Whitney statistic, tied scores counting one half.
    private static double Auc(ReadOnlySpan<double> labels, ReadOnlySpan<double> scores)
    {
        var order = new int[labels.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);
        double positives = 0, rankSum = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && keys[end + 1] == keys[start])
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var i = start; i <= end; i++)
            {
                if (labels[order[i]] > 0)
                {
                    positives++;
                    rankSum += rank;
                }
            }

            start = end + 1;
        }

        var negatives = labels.Length - positives;
        return positives == 0 || negatives == 0 ? 0.5 : (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    private sealed record Entry(AutoMlTrial Trial, double Loss, float[] Predictions);
}
