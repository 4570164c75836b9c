using MlWorkflow.Evaluation;
using MlWorkflow.Training;

namespace MlWorkflow.AutoMl;

/// <summary>The metrics a search can optimise per task, with their direction.</summary>
internal static class AutoMlMetrics
{
    private static readonly string[] Regression = [MetricNames.Rmse, MetricNames.Mae, MetricNames.Mse, MetricNames.R2];

    private static readonly string[] Binary =
    [
        MetricNames.Auc, MetricNames.Accuracy, MetricNames.Auprc, MetricNames.F1Score, MetricNames.Precision, MetricNames.Recall,
        MetricNames.NegativePrecision, MetricNames.NegativeRecall, MetricNames.LogLoss, MetricNames.LogLossReduction,
    ];

    private static readonly string[] Multiclass = [MetricNames.LogLoss, MetricNames.AccuracyMicro, MetricNames.AccuracyMacro, MetricNames.LogLossReduction];

    public static string Default(LearningTask task) => task switch
    {
        LearningTask.Regression => MetricNames.Rmse,
        LearningTask.BinaryClassification => MetricNames.Auc,
        _ => MetricNames.LogLoss,
    };

    /// <summary>The metric as the evaluator names it for the task (multiclass <c>accuracy</c> is <c>accuracy_micro</c>).</summary>
    public static string Resolve(string? metric, LearningTask task)
    {
        var name = metric ?? Default(task);
        if (task == LearningTask.MulticlassClassification && name == MetricNames.Accuracy)
        {
            name = MetricNames.AccuracyMicro;
        }

        var allowed = task switch
        {
            LearningTask.Regression => Regression,
            LearningTask.BinaryClassification => Binary,
            _ => Multiclass,
        };
        if (!allowed.Contains(name))
        {
            var shown = name.Length > 200 ? name[..200] + "…" : name;
            throw new ArgumentException(
                $"AutoML cannot optimise metric '{shown}' for {TrainerSpec.TaskName(task)}; use one of: {string.Join(", ", allowed)}.", nameof(metric));
        }

        return name;
    }

    public static bool HigherIsBetter(string metric) => metric is not (MetricNames.Rmse or MetricNames.Mae or MetricNames.Mse or MetricNames.LogLoss);

    public static bool NeedsProbability(string metric) => metric is MetricNames.LogLoss or MetricNames.LogLossReduction;

    /// <summary>Lower is better and 0 is perfect: the metric itself, or 1 minus it for a score bounded by 1.</summary>
    public static double Loss(string metric, double value) => HigherIsBetter(metric) ? 1 - value : value;

    /// <summary>The metric's value for a <see cref="Loss"/>: the inverse of it.</summary>
    public static double Score(string metric, double loss) => HigherIsBetter(metric) ? 1 - loss : loss;
}
