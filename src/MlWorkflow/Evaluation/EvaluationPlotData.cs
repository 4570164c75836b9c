using MlWorkflow.Training;

namespace MlWorkflow.Evaluation;

/// <summary>What an <see cref="IEvaluationPlotter"/> draws from: the test predictions (of every fold, when cross-validating) and the feature importance.</summary>
public sealed class EvaluationPlotData
{
    /// <summary>The task the model learns, which decides the plots (regression: residuals; classification: curves and confusion).</summary>
    public required LearningTask Task { get; init; }

    /// <summary>The label column the values come from, to name on the plots' axes.</summary>
    public required string LabelColumn { get; init; }

    /// <summary>The actual values: a number (regression), 1 or 0 (binary), or the class index (multiclass).</summary>
    public required IReadOnlyList<double> Labels { get; init; }

    /// <summary>The scores, one per label (regression: the prediction; binary: the raw score; multiclass: empty).</summary>
    public required IReadOnlyList<double> Scores { get; init; }

    /// <summary>The calibrated probabilities (binary), one per label when the trainer gives them; otherwise empty.</summary>
    public required IReadOnlyList<double> Probabilities { get; init; }

    /// <summary>The class names in confusion-matrix order (binary: <c>true</c>, <c>false</c>); empty for regression.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The confusion counts: row = actual class, column = predicted class, in <see cref="ClassNames"/> order.</summary>
#pragma warning disable CA1819 // A matrix is the natural shape of confusion counts; the plotter only reads it.
    public required double[,] ConfusionCounts { get; init; }
#pragma warning restore CA1819

    /// <summary>The permutation feature importance, most important first; empty when it was not asked for.</summary>
    public IReadOnlyList<FeatureImportance> FeatureImportance { get; init; } = [];

    /// <summary>What the importance measures, for an axis title (for example <c>RMSE increase</c>). The default value is an empty string.</summary>
    public string FeatureImportanceMeasure { get; init; } = "";
}
