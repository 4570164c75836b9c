namespace MlWorkflow.Evaluation;

/// <summary>
/// The MLflow-style metric names the workflow reports. Per-class names are built by
/// <see cref="PerClass"/>; cross-validation adds <c>_mean</c> and <c>_std</c> to each name.
/// </summary>
public static class MetricNames
{
    /// <summary>Regression: mean absolute error.</summary>
    public const string Mae = "mae";

    /// <summary>Regression: mean squared error.</summary>
    public const string Mse = "mse";

    /// <summary>Regression: root mean squared error.</summary>
    public const string Rmse = "rmse";

    /// <summary>Regression: coefficient of determination.</summary>
    public const string R2 = "r2";

    /// <summary>Binary: accuracy.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>Binary: area under the ROC curve.</summary>
    public const string Auc = "auc";

    /// <summary>Binary: area under the precision-recall curve.</summary>
    public const string Auprc = "auprc";

    /// <summary>Binary: F1 score of the positive class.</summary>
    public const string F1Score = "f1_score";

    /// <summary>Binary: precision of the positive class.</summary>
    public const string Precision = "precision";

    /// <summary>Binary: recall of the positive class.</summary>
    public const string Recall = "recall";

    /// <summary>Binary: precision of the negative class.</summary>
    public const string NegativePrecision = "negative_precision";

    /// <summary>Binary: recall of the negative class.</summary>
    public const string NegativeRecall = "negative_recall";

    /// <summary>Binary (calibrated) and multiclass: log loss, the mean negative natural log (ln) of the probability given to the true class, as MLflow and scikit-learn report it (ML.NET's binary evaluator reports it in bits; it is converted).</summary>
    public const string LogLoss = "log_loss";

    /// <summary>Binary (calibrated) and multiclass: relative log-loss reduction over the prior.</summary>
    public const string LogLossReduction = "log_loss_reduction";

    /// <summary>Binary (calibrated): entropy of the prior (the test set's positive share), in natural log units as <see cref="LogLoss"/>.</summary>
    public const string Entropy = "entropy";

    /// <summary>Binary: true positives.</summary>
    public const string TruePositives = "true_positives";

    /// <summary>Binary: false positives.</summary>
    public const string FalsePositives = "false_positives";

    /// <summary>Binary: true negatives.</summary>
    public const string TrueNegatives = "true_negatives";

    /// <summary>Binary: false negatives.</summary>
    public const string FalseNegatives = "false_negatives";

    /// <summary>Multiclass: micro-averaged accuracy.</summary>
    public const string AccuracyMicro = "accuracy_micro";

    /// <summary>Multiclass: macro-averaged accuracy.</summary>
    public const string AccuracyMacro = "accuracy_macro";

    /// <summary>Every task: number of rows evaluated.</summary>
    public const string ExampleCount = "example_count";

    /// <summary>Suffix of a cross-validation mean.</summary>
    public const string MeanSuffix = "_mean";

    /// <summary>Suffix of a cross-validation standard deviation.</summary>
    public const string StandardDeviationSuffix = "_std";

    /// <summary>
    /// A per-class metric name such as <c>log_loss_class_setosa</c>; characters MLflow does not allow in a key
    /// (anything but letters, digits, <c>_ - . / space</c>) become <c>_</c>.
    /// </summary>
    /// <param name="metric">The metric (for example <c>log_loss</c>).</param>
    /// <param name="className">The class label.</param>
    /// <returns>The metric name.</returns>
    public static string PerClass(string metric, string className)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(className);
        var safe = new string(className.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ' ' ? c : '_').ToArray());
        return $"{metric}_class_{(safe.Length == 0 ? "_" : safe)}";
    }
}
