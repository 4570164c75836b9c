namespace MlWorkflow.Serving.Batch;

/// <summary>What <see cref="BatchScoring"/> writes besides the predictions, and how often it reports progress.</summary>
public sealed class BatchScoringOptions
{
    /// <summary>The default name of the prediction column, <c>prediction</c>: as MLflow's <c>spark_udf</c> results are usually named.</summary>
    public const string DefaultPredictionColumn = "prediction";

    /// <summary>The default number of rows between progress reports and cancellation checks, 65,536.</summary>
    public const int DefaultReportEveryRows = 65_536;

    private string _predictionColumn = DefaultPredictionColumn;
    private int _reportEveryRows = DefaultReportEveryRows;

    /// <summary>
    /// The input columns copied to the output, in this order, before the prediction columns. An empty list writes the
    /// predictions alone. The default value is null: every input column, in the input's order.
    /// </summary>
    public IReadOnlyList<string>? KeepColumns { get; set; }

    /// <summary>
    /// The name of the prediction column: the score of a regression model, the label of a classifier. A classifier's
    /// probabilities, when asked for, follow as <c>probability</c> (binary: the positive class's) or <c>probabilities.0</c>,
    /// <c>probabilities.1</c>, … (multiclass, in the model's class order). The default value is <see cref="DefaultPredictionColumn"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty or blank.</exception>
    public string PredictionColumn
    {
        get => _predictionColumn;
        set => _predictionColumn = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("The prediction column needs a name.", nameof(value));
    }

    /// <summary>Whether a classifier's probabilities are written too. The default value is false: the label alone.</summary>
    public bool Probabilities { get; set; }

    /// <summary>Rows between two progress reports (and cancellation checks). The default value is <see cref="DefaultReportEveryRows"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int ReportEveryRows
    {
        get => _reportEveryRows;
        set => _reportEveryRows = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Progress needs a positive number of rows between reports.");
    }

    /// <summary>
    /// Whether a tree-ensemble regression (FastTree, FastForest, LightGBM) is scored by the flat tree evaluator (ML.NET's
    /// predictions, several times faster) rather than ML.NET's own evaluation. The default value is true.
    /// </summary>
    public bool UseTreeEvaluator { get; set; } = true;
}
