using MlWorkflow.Training;

namespace MlWorkflow.Evaluation;

/// <summary>The predictions behind the metrics, kept for plots (appended across cross-validation folds).</summary>
internal sealed class EvaluationData
{
    public EvaluationData(LearningTask task, IReadOnlyList<string> classNames, string labelColumn = "label")
    {
        Task = task;
        LabelColumn = labelColumn;
        ClassNames = classNames;
        ConfusionCounts = new double[classNames.Count, classNames.Count];
    }

    public LearningTask Task { get; }

    /// <summary>The label column the values come from, named on the plots' axes.</summary>
    public string LabelColumn { get; }

    /// <summary>The actual values: a number (regression), 1 or 0 (binary), or the class index (multiclass).</summary>
    public List<double> Labels { get; } = [];

    /// <summary>The score (regression: the prediction; binary: the raw score).</summary>
    public List<double> Scores { get; } = [];

    /// <summary>The calibrated probability (binary), when the trainer gives one.</summary>
    public List<double> Probabilities { get; } = [];

    /// <summary>The class names, in confusion-matrix order (binary: <c>true</c>, <c>false</c>).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Counts: row = actual class, column = predicted class.</summary>
    public double[,] ConfusionCounts { get; private set; }

    public void AddConfusion(double[,] counts)
    {
        if (counts.GetLength(0) != ConfusionCounts.GetLength(0) || counts.GetLength(1) != ConfusionCounts.GetLength(1))
        {
            return;
        }

        for (var row = 0; row < counts.GetLength(0); row++)
        {
            for (var column = 0; column < counts.GetLength(1); column++)
            {
                ConfusionCounts[row, column] += counts[row, column];
            }
        }
    }

    /// <summary>The public view a plotter draws from.</summary>
    public EvaluationPlotData ForPlotter(IReadOnlyList<FeatureImportance>? importance) => new()
    {
        Task = Task,
        LabelColumn = LabelColumn,
        Labels = Labels,
        Scores = Scores,
        Probabilities = Probabilities,
        ClassNames = ClassNames,
        ConfusionCounts = ConfusionCounts,
        FeatureImportance = importance ?? [],
        FeatureImportanceMeasure = PermutationFeatureImportanceCalculator.Measure(Task),
    };

    public void Append(EvaluationData other)
    {
        Labels.AddRange(other.Labels);
        Scores.AddRange(other.Scores);
        Probabilities.AddRange(other.Probabilities);
        AddConfusion(other.ConfusionCounts);
    }
}
