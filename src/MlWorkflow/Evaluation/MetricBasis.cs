namespace MlWorkflow.Evaluation;

/// <summary>What data a <see cref="MetricSet"/> was computed on, and so how its names are written.</summary>
public enum MetricBasis
{
    /// <summary>Held-out data (after a split, or any scored data): plain names such as <c>r2</c>.</summary>
    Test,

    /// <summary>The data the model was trained on (no split): names prefixed <c>training_</c>, as MLflow's autologging writes them.</summary>
    Training,

    /// <summary>Cross-validation folds: each metric's <c>&lt;name&gt;_mean</c> and <c>&lt;name&gt;_std</c>.</summary>
    CrossValidation,
}
