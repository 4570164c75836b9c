using System.Globalization;
using MlWorkflow.Training;
using ScottPlot;

namespace MlWorkflow.Evaluation;

/// <summary>
/// PNG plots of an evaluation, drawn with ScottPlot: residuals and predicted-vs-actual (regression), ROC and
/// precision-recall curves (binary), confusion matrix (classification) and feature importance.
/// </summary>
public static class EvaluationPlots
{
    /// <summary>File name of the residuals plot.</summary>
    public const string ResidualsFile = "residuals.png";

    /// <summary>File name of the predicted-vs-actual plot.</summary>
    public const string PredictedVsActualFile = "predicted_vs_actual.png";

    /// <summary>File name of the ROC curve.</summary>
    public const string RocCurveFile = "roc_curve.png";

    /// <summary>File name of the precision-recall curve.</summary>
    public const string PrecisionRecallCurveFile = "precision_recall_curve.png";

    /// <summary>File name of the confusion matrix.</summary>
    public const string ConfusionMatrixFile = "confusion_matrix.png";

    /// <summary>File name of the feature-importance chart.</summary>
    public const string FeatureImportanceFile = "feature_importance.png";

    private const int Width = 800;
    private const int Height = 600;

    /// <summary>Residual (actual − predicted) against predicted value, with the zero line.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="actual">The actual values.</param>
    /// <param name="predicted">The predicted values, as many as <paramref name="actual"/>.</param>
    public static void WriteResiduals(string path, IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        CheckPairs(actual, predicted);
        var plot = new Plot();
        var residuals = actual.Zip(predicted, (a, p) => a - p).ToArray();
        var points = plot.Add.ScatterPoints(predicted.ToArray(), residuals);
        points.MarkerSize = 4;
        var zero = plot.Add.HorizontalLine(0);
        zero.LineColor = Colors.Black;
        zero.LinePattern = LinePattern.Dashed;
        plot.Title($"Residuals ({actual.Count} rows)");
        plot.XLabel("predicted");
        plot.YLabel("actual − predicted");
        Save(plot, path);
    }

    /// <summary>Predicted against actual value, with the identity line.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="actual">The actual values.</param>
    /// <param name="predicted">The predicted values, as many as <paramref name="actual"/>.</param>
    public static void WritePredictedVsActual(string path, IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        CheckPairs(actual, predicted);
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(actual.ToArray(), predicted.ToArray());
        points.MarkerSize = 4;
        var low = Math.Min(actual.Min(), predicted.Min());
        var high = Math.Max(actual.Max(), predicted.Max());
        var identity = plot.Add.Line(low, low, high, high);
        identity.LineColor = Colors.Black;
        identity.LinePattern = LinePattern.Dashed;
        plot.Title($"Predicted vs actual ({actual.Count} rows)");
        plot.XLabel("actual");
        plot.YLabel("predicted");
        Save(plot, path);
    }

    /// <summary>The ROC curve (true-positive rate against false-positive rate over every threshold), with its area.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="labels">The actual classes: above 0 is positive.</param>
    /// <param name="scores">The scores or probabilities, higher meaning more likely positive.</param>
    public static void WriteRocCurve(string path, IReadOnlyList<double> labels, IReadOnlyList<double> scores)
    {
        CheckPairs(labels, scores);
        var (fpr, tpr, _) = Curves.Roc(labels, scores);
        var plot = new Plot();
        var curve = plot.Add.ScatterLine(fpr, tpr);
        curve.LineWidth = 2;
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LineColor = Colors.Gray;
        chance.LinePattern = LinePattern.Dashed;
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"ROC curve (AUC = {Curves.Area(fpr, tpr):0.000})"));
        plot.XLabel("false positive rate");
        plot.YLabel("true positive rate");
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        Save(plot, path);
    }

    /// <summary>The precision-recall curve over every threshold.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="labels">The actual classes: above 0 is positive.</param>
    /// <param name="scores">The scores or probabilities, higher meaning more likely positive.</param>
    public static void WritePrecisionRecallCurve(string path, IReadOnlyList<double> labels, IReadOnlyList<double> scores)
    {
        CheckPairs(labels, scores);
        var (recall, precision) = Curves.PrecisionRecall(labels, scores);
        var plot = new Plot();
        var curve = plot.Add.ScatterLine(recall, precision);
        curve.LineWidth = 2;
        var positiveRate = labels.Count(l => l > 0) / (double)labels.Count;
        var baseline = plot.Add.HorizontalLine(positiveRate);
        baseline.LineColor = Colors.Gray;
        baseline.LinePattern = LinePattern.Dashed;
        plot.Title("Precision-recall curve");
        plot.XLabel("recall");
        plot.YLabel("precision");
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        Save(plot, path);
    }

    /// <summary>The confusion matrix as a heat map with the count in each cell; rows are actual, columns predicted.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="counts">Counts, [actual, predicted].</param>
    /// <param name="classNames">The class names, one per row and column.</param>
    public static void WriteConfusionMatrix(string path, double[,] counts, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(classNames);
        var n = classNames.Count;
        if (counts.GetLength(0) != n || counts.GetLength(1) != n)
        {
            throw new ArgumentException($"The counts must be {n}×{n}, one row and column per class.", nameof(counts));
        }

        var plot = new Plot();
        var max = counts.Cast<double>().DefaultIfEmpty(0).Max();
        for (var row = 0; row < n; row++)
        {
            for (var column = 0; column < n; column++)
            {
                var value = counts[row, column];
                // Cell (row, column) is centred on x = column, y = n - 1 - row (rows from the top); white for 0, dark blue for the most.
                var shade = max > 0 ? value / max : 0;
                var cell = plot.Add.Rectangle(column - 0.5, column + 0.5, n - 1.5 - row, n - 0.5 - row);
                cell.FillColor = new Color((byte)(255 - (255 - 8) * shade), (byte)(255 - (255 - 48) * shade), (byte)(255 - (255 - 107) * shade));
                cell.LineColor = Colors.White;
                var text = plot.Add.Text(value.ToString("0", CultureInfo.InvariantCulture), column, n - 1 - row);
                text.LabelFontSize = n > 10 ? 10 : 18;
                text.LabelBold = true;
                text.LabelFontColor = max > 0 && value > max / 2 ? Colors.White : Colors.Black;
                text.LabelAlignment = Alignment.MiddleCenter;
            }
        }

        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classNames.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classNames.Reverse().ToArray());
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Title("Confusion matrix");
        plot.XLabel("predicted");
        plot.YLabel("actual");
        Save(plot, path);
    }

    /// <summary>A horizontal bar chart of the most important features (permutation importance), largest on top.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="importances">The importances.</param>
    /// <param name="top">How many features to show, more than 0. The default value is 20.</param>
    public static void WriteFeatureImportance(string path, IReadOnlyList<FeatureImportance> importances, int top = 20)
    {
        ArgumentNullException.ThrowIfNull(importances);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var shown = importances.OrderByDescending(f => f.Importance).Take(top).Reverse().ToArray();
        var plot = new Plot();
        var bars = shown.Select((f, i) => new Bar
        {
            Position = i,
            Value = f.Importance,
            Error = f.StandardDeviation,
            FillColor = Colors.SteelBlue,
        }).ToArray();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            shown.Select((_, i) => (double)i).ToArray(), shown.Select(f => f.Feature).ToArray());
        plot.Title("Permutation feature importance");
        plot.XLabel("worsening of the main metric when shuffled");
        Save(plot, path, Width, Math.Max(Height, 120 + 28 * shown.Length));
    }

    /// <summary>Writes every plot that fits the task into <paramref name="folder"/>; returns the files.</summary>
    internal static IReadOnlyList<string> WriteAll(EvaluationData data, IReadOnlyList<FeatureImportance>? importances, string folder)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        void Write(string name, Action<string> draw)
        {
            var path = Path.Combine(folder, name);
            draw(path);
            files.Add(path);
        }

        switch (data.Task)
        {
            case LearningTask.Regression when data.Labels.Count > 0:
                Write(ResidualsFile, p => WriteResiduals(p, data.Labels, data.Scores));
                Write(PredictedVsActualFile, p => WritePredictedVsActual(p, data.Labels, data.Scores));
                break;
            case LearningTask.BinaryClassification when data.Labels.Count > 0:
                var scores = data.Probabilities.Count == data.Labels.Count ? data.Probabilities : data.Scores;
                Write(RocCurveFile, p => WriteRocCurve(p, data.Labels, scores));
                Write(PrecisionRecallCurveFile, p => WritePrecisionRecallCurve(p, data.Labels, scores));
                Write(ConfusionMatrixFile, p => WriteConfusionMatrix(p, data.ConfusionCounts, data.ClassNames));
                break;
            case LearningTask.MulticlassClassification:
                Write(ConfusionMatrixFile, p => WriteConfusionMatrix(p, data.ConfusionCounts, data.ClassNames));
                break;
        }

        if (importances is { Count: > 0 })
        {
            Write(FeatureImportanceFile, p => WriteFeatureImportance(p, importances));
        }

        return files;
    }

    private static void CheckPairs(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count == 0 || first.Count != second.Count)
        {
            throw new ArgumentException($"A plot needs two non-empty series of the same length; got {first.Count} and {second.Count}.");
        }
    }

    private static void Save(Plot plot, string path, int width = Width, int height = Height)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        plot.SavePng(path, width, height);
    }
}
