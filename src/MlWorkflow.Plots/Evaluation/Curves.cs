namespace MlWorkflow.Evaluation;

/// <summary>ROC and precision-recall curves from labels and scores, one point per distinct threshold.</summary>
internal static class Curves
{
    public static (double[] FalsePositiveRate, double[] TruePositiveRate, double[] Thresholds) Roc(IReadOnlyList<double> labels, IReadOnlyList<double> scores)
    {
        var (positives, negatives, steps) = Sweep(labels, scores);
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        var thresholds = new List<double> { double.PositiveInfinity };
        foreach (var (threshold, tp, fp) in steps)
        {
            fpr.Add(negatives == 0 ? 0 : fp / (double)negatives);
            tpr.Add(positives == 0 ? 0 : tp / (double)positives);
            thresholds.Add(threshold);
        }

        return (fpr.ToArray(), tpr.ToArray(), thresholds.ToArray());
    }

    public static (double[] Recall, double[] Precision) PrecisionRecall(IReadOnlyList<double> labels, IReadOnlyList<double> scores)
    {
        var (positives, _, steps) = Sweep(labels, scores);
        var recall = new List<double> { 0 };
        var precision = new List<double> { 1 };
        foreach (var (_, tp, fp) in steps)
        {
            recall.Add(positives == 0 ? 0 : tp / (double)positives);
            precision.Add(tp + fp == 0 ? 1 : tp / (double)(tp + fp));
        }

        return (recall.ToArray(), precision.ToArray());
    }

    /// <summary>Trapezoidal area under a curve whose x values do not decrease.</summary>
    public static double Area(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var area = 0.0;
        for (var i = 1; i < x.Count; i++)
        {
            area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        }

        return area;
    }

    private static (int Positives, int Negatives, List<(double Threshold, int TruePositives, int FalsePositives)> Steps) Sweep(
        IReadOnlyList<double> labels, IReadOnlyList<double> scores)
    {
        var order = Enumerable.Range(0, labels.Count).OrderByDescending(i => scores[i]).ToArray();
        var positives = labels.Count(l => l > 0);
        var negatives = labels.Count - positives;
        var steps = new List<(double, int, int)>();
        int tp = 0, fp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]] > 0)
            {
                tp++;
            }
            else
            {
                fp++;
            }

            // One point per distinct score: ties move together.
            if (k == order.Length - 1 || scores[order[k + 1]] != scores[order[k]])
            {
                steps.Add((scores[order[k]], tp, fp));
            }
        }

        return (positives, negatives, steps);
    }
}
