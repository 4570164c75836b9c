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

    /// <summary>Residual (actual − predicted) against predicted value, with the zero line; points turn transparent as they
    /// grow in number so that dense regions show as darker.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="actual">The actual values.</param>
    /// <param name="predicted">The predicted values, as many as <paramref name="actual"/>.</param>
    /// <param name="label">The label column, named on the axes. The default value is <c>label</c>.</param>
    public static void WriteResiduals(string path, IReadOnlyList<double> actual, IReadOnlyList<double> predicted, string label = "label")
    {
        Save(ResidualsPlot(actual, predicted, label), path);
    }

    /// <summary>Draws <see cref="WriteResiduals"/>'s plot without writing it.</summary>
    internal static DrawnPlot ResidualsPlot(IReadOnlyList<double> actual, IReadOnlyList<double> predicted, string label)
    {
        CheckPairs(actual, predicted);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        var plot = new Plot();
        var residuals = actual.Zip(predicted, (a, p) => a - p).ToArray();
        AddPoints(plot, predicted.ToArray(), residuals);
        var zero = plot.Add.HorizontalLine(0);
        zero.LineColor = Colors.Black;
        zero.LinePattern = LinePattern.Dashed;
        plot.Title(Invariant($"Residuals of {label} ({actual.Count:N0} rows)"));
        plot.XLabel($"predicted {label}");
        plot.YLabel($"residual: actual − predicted {label}");
        return new DrawnPlot(plot, Width, Height);
    }

    /// <summary>Predicted against actual value, with the identity line, R² and RMSE in the corner, on equal axes; points turn
    /// transparent as they grow in number.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="actual">The actual values.</param>
    /// <param name="predicted">The predicted values, as many as <paramref name="actual"/>.</param>
    /// <param name="label">The label column, named on the axes. The default value is <c>label</c>.</param>
    public static void WritePredictedVsActual(string path, IReadOnlyList<double> actual, IReadOnlyList<double> predicted, string label = "label")
    {
        Save(PredictedVsActualPlot(actual, predicted, label), path);
    }

    /// <summary>Draws <see cref="WritePredictedVsActual"/>'s plot without writing it.</summary>
    internal static DrawnPlot PredictedVsActualPlot(IReadOnlyList<double> actual, IReadOnlyList<double> predicted, string label)
    {
        CheckPairs(actual, predicted);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        var plot = new Plot();
        AddPoints(plot, actual.ToArray(), predicted.ToArray());
        var low = Math.Min(actual.Min(), predicted.Min());
        var high = Math.Max(actual.Max(), predicted.Max());
        var identity = plot.Add.Line(low, low, high, high);
        identity.LineColor = Colors.Black;
        identity.LinePattern = LinePattern.Dashed;
        identity.LegendText = "predicted = actual";
        var (r2, rmse) = Fit(actual, predicted);
        var scores = plot.Add.Annotation(Invariant($"R² = {r2:0.000}\nRMSE = {Number(rmse)}"), Alignment.UpperLeft);
        scores.LabelFontSize = 16;
        scores.LabelBackgroundColor = Colors.White.WithAlpha(0.85);
        scores.LabelBorderColor = Colors.Gray;
        var margin = (high - low) * 0.04 + (high == low ? 1 : 0);
        plot.Axes.SetLimits(low - margin, high + margin, low - margin, high + margin);
        plot.Title(Invariant($"Predicted vs actual {label} ({actual.Count:N0} rows)"));
        plot.XLabel($"actual {label}");
        plot.YLabel($"predicted {label}");
        return new DrawnPlot(plot, Width, Height);
    }

    /// <summary>The ROC curve (true-positive rate against false-positive rate over every threshold), with its area.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="labels">The actual classes: above 0 is positive.</param>
    /// <param name="scores">The scores or probabilities, higher meaning more likely positive.</param>
    /// <param name="label">The label column, named in the title. The default value is <c>label</c>.</param>
    public static void WriteRocCurve(string path, IReadOnlyList<double> labels, IReadOnlyList<double> scores, string label = "label")
    {
        Save(RocCurvePlot(labels, scores, label), path);
    }

    /// <summary>Draws <see cref="WriteRocCurve"/>'s plot without writing it.</summary>
    internal static DrawnPlot RocCurvePlot(IReadOnlyList<double> labels, IReadOnlyList<double> scores, string label)
    {
        CheckPairs(labels, scores);
        var (fpr, tpr, _) = Curves.Roc(labels, scores);
        var plot = new Plot();
        var curve = plot.Add.ScatterLine(fpr, tpr);
        curve.LineWidth = 2;
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LineColor = Colors.Gray;
        chance.LinePattern = LinePattern.Dashed;
        plot.Title(Invariant($"ROC curve of {label} (AUC = {Curves.Area(fpr, tpr):0.000})"));
        plot.XLabel("false positive rate");
        plot.YLabel("true positive rate");
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        return new DrawnPlot(plot, Width, Height);
    }

    /// <summary>The precision-recall curve over every threshold, with the positive rate as the chance line.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="labels">The actual classes: above 0 is positive.</param>
    /// <param name="scores">The scores or probabilities, higher meaning more likely positive.</param>
    /// <param name="label">The label column, named in the title. The default value is <c>label</c>.</param>
    public static void WritePrecisionRecallCurve(string path, IReadOnlyList<double> labels, IReadOnlyList<double> scores, string label = "label")
    {
        Save(PrecisionRecallCurvePlot(labels, scores, label), path);
    }

    /// <summary>Draws <see cref="WritePrecisionRecallCurve"/>'s plot without writing it.</summary>
    internal static DrawnPlot PrecisionRecallCurvePlot(IReadOnlyList<double> labels, IReadOnlyList<double> scores, string label)
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
        plot.Title($"Precision-recall curve of {label}");
        plot.XLabel("recall");
        plot.YLabel("precision");
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        return new DrawnPlot(plot, Width, Height);
    }

    /// <summary>The confusion matrix as a heat map: rows are the actual class, columns the predicted one; each cell shows its
    /// count and its percentage of the actual class (the row), coloured by that percentage on the colour scale beside it.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="counts">Counts, [actual, predicted].</param>
    /// <param name="classNames">The class names, one per row and column.</param>
    /// <param name="label">The label column, named on the axes. The default value is <c>label</c>.</param>
    public static void WriteConfusionMatrix(string path, double[,] counts, IReadOnlyList<string> classNames, string label = "label")
    {
        Save(ConfusionMatrixPlot(counts, classNames, label), path);
    }

    /// <summary>Draws <see cref="WriteConfusionMatrix"/>'s plot without writing it.</summary>
    internal static DrawnPlot ConfusionMatrixPlot(double[,] counts, IReadOnlyList<string> classNames, string label)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        var n = classNames.Count;
        if (counts.GetLength(0) != n || counts.GetLength(1) != n)
        {
            throw new ArgumentException($"The counts must be {n}×{n}, one row and column per class.", nameof(counts));
        }

        var percent = RowPercentages(counts);
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(percent);
        heatmap.Colormap = new ScottPlot.Colormaps.Blues().Reversed();
        heatmap.ManualRange = new ScottPlot.Range(0, 100);
        // Row 0 of the array is drawn at the top, so actual class i sits at y = n - 1 - i.
        heatmap.Extent = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        var fontSize = n > 10 ? 9 : n > 5 ? 13 : 18;
        for (var row = 0; row < n; row++)
        {
            for (var column = 0; column < n; column++)
            {
                var text = plot.Add.Text(Invariant($"{counts[row, column]:0}\n{percent[row, column]:0.0}%"), column, n - 1 - row);
                text.LabelFontSize = fontSize;
                text.LabelBold = row == column;
                text.LabelFontColor = percent[row, column] > 55 ? Colors.White : Colors.Black;
                text.LabelAlignment = Alignment.MiddleCenter;
            }
        }

        var scale = plot.Add.ColorBar(heatmap);
        scale.Label = "% of the actual class";
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classNames.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classNames.Reverse().ToArray());
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Title(Invariant($"Confusion matrix of {label} ({counts.Cast<double>().Sum():N0} rows)"));
        plot.XLabel($"predicted {label}");
        plot.YLabel($"actual {label}");
        var side = Math.Max(Height, 200 + (40 * n));
        return new DrawnPlot(plot, side + 160, side);
    }

    /// <summary>A horizontal bar chart of the most important features (permutation importance), largest on top, each bar with
    /// an error bar of one standard deviation over the permutations.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="importances">The importances.</param>
    /// <param name="top">How many features to show, more than 0. The default value is 20.</param>
    /// <param name="measure">What an importance measures, named in the title and on the axis (for example <c>RMSE increase</c>,
    /// see <see cref="PermutationFeatureImportanceCalculator.Measure"/>). The default value is <c>metric worsening</c>.</param>
    public static void WriteFeatureImportance(string path, IReadOnlyList<FeatureImportance> importances, int top = 20, string measure = "metric worsening")
    {
        Save(FeatureImportancePlot(importances, top, measure), path);
    }

    /// <summary>Draws <see cref="WriteFeatureImportance"/>'s plot without writing it.</summary>
    internal static DrawnPlot FeatureImportancePlot(IReadOnlyList<FeatureImportance> importances, int top, string measure)
    {
        ArgumentNullException.ThrowIfNull(importances);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(measure);
        var shown = importances.OrderByDescending(f => f.Importance).Take(top).Reverse().ToArray();
        var plot = new Plot();
        var bars = shown.Select((f, i) => new Bar
        {
            Position = i,
            Value = f.Importance,
            Error = double.IsFinite(f.StandardDeviation) ? f.StandardDeviation : 0,
            FillColor = f.Importance >= 0 ? Colors.SteelBlue : Colors.IndianRed,
            LineWidth = 1.5f,
            ErrorSize = 0.3,
            Size = 0.7,
        }).ToArray();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            shown.Select((_, i) => (double)i).ToArray(), shown.Select(f => f.Feature).ToArray());
        var zero = plot.Add.VerticalLine(0);
        zero.LineColor = Colors.Black;
        zero.LineWidth = 1;
        plot.Axes.Margins(left: 0.05, right: 0.1, bottom: 0.02, top: 0.02);
        var of = importances.Count > shown.Length ? Invariant($"top {shown.Length} of {importances.Count}") : Invariant($"{shown.Length} features");
        plot.Title($"Feature importance: {measure} ({of})");
        plot.XLabel($"{measure} when shuffled (bar: mean, whisker: ± 1 s.d.)");
        return new DrawnPlot(plot, Width, Math.Max(Height, 120 + (28 * shown.Length)));
    }

    /// <summary>Writes every plot that fits the task into <paramref name="folder"/>; returns the files.</summary>
    internal static IReadOnlyList<string> WriteAll(EvaluationPlotData data, string folder, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        void Write(string name, Action<string> draw)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(folder, name);
            draw(path);
            files.Add(path);
        }

        var label = data.LabelColumn;
        switch (data.Task)
        {
            case LearningTask.Regression when data.Labels.Count > 0:
                Write(ResidualsFile, p => WriteResiduals(p, data.Labels, data.Scores, label));
                Write(PredictedVsActualFile, p => WritePredictedVsActual(p, data.Labels, data.Scores, label));
                break;
            case LearningTask.BinaryClassification when data.Labels.Count > 0:
                var scores = data.Probabilities.Count == data.Labels.Count ? data.Probabilities : data.Scores;
                Write(RocCurveFile, p => WriteRocCurve(p, data.Labels, scores, label));
                Write(PrecisionRecallCurveFile, p => WritePrecisionRecallCurve(p, data.Labels, scores, label));
                Write(ConfusionMatrixFile, p => WriteConfusionMatrix(p, data.ConfusionCounts, data.ClassNames, label));
                break;
            case LearningTask.MulticlassClassification:
                Write(ConfusionMatrixFile, p => WriteConfusionMatrix(p, data.ConfusionCounts, data.ClassNames, label));
                break;
        }

        if (data.FeatureImportance is { Count: > 0 } importances)
        {
            Write(FeatureImportanceFile, p => WriteFeatureImportance(p, importances, measure: data.FeatureImportanceMeasure));
        }

        return files;
    }

    /// <summary>Scatter points whose size and opacity shrink as their number grows: nearly opaque up to a few hundred, about 45%
    /// for three thousand, 18% from twenty thousand, so that overlapping points add up to darker regions.</summary>
    private static void AddPoints(Plot plot, double[] xs, double[] ys)
    {
        var n = xs.Length;
        var alpha = Math.Clamp(Math.Sqrt(600.0 / n), 0.18, 0.85);
        var points = plot.Add.ScatterPoints(xs, ys);
        points.MarkerSize = n > 5_000 ? 3 : n > 500 ? 4 : 6;
        points.Color = Colors.SteelBlue.WithAlpha(alpha);
    }

    /// <summary>R² (1 − residual sum of squares / total sum of squares) and RMSE, as ML.NET's regression evaluator defines them.</summary>
    internal static (double R2, double Rmse) Fit(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        var mean = actual.Average();
        double residual = 0;
        double total = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }

        return (total > 0 ? 1 - (residual / total) : double.NaN, Math.Sqrt(residual / actual.Count));
    }

    /// <summary>Each count as a percentage of its row (the actual class); 0 for an empty row.</summary>
    private static double[,] RowPercentages(double[,] counts)
    {
        var n = counts.GetLength(0);
        var percent = new double[n, n];
        for (var row = 0; row < n; row++)
        {
            var total = 0.0;
            for (var column = 0; column < n; column++)
            {
                total += counts[row, column];
            }

            for (var column = 0; column < n; column++)
            {
                percent[row, column] = total > 0 ? 100 * counts[row, column] / total : 0;
            }
        }

        return percent;
    }

    /// <summary>A number with 4 significant digits, without exponent for everyday magnitudes.</summary>
    private static string Number(double value) =>
        Math.Abs(value) is >= 0.01 and < 1e7 or 0 ? value.ToString(Math.Abs(value) >= 1000 ? "N0" : "G4", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void CheckPairs(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count == 0 || first.Count != second.Count)
        {
            throw new ArgumentException($"A plot needs two non-empty series of the same length; got {first.Count} and {second.Count}.");
        }
    }

    private static void Save(DrawnPlot drawn, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        drawn.Plot.SavePng(path, drawn.Width, drawn.Height);
    }

    /// <summary>A drawn plot and the size it is saved at.</summary>
    internal sealed record DrawnPlot(Plot Plot, int Width, int Height);
}
