namespace MlWorkflow.Serving.Scoring;

/// <summary>What a served model predicts, read from its output columns; it decides the shape of <c>predictions</c>.</summary>
internal enum ModelTask
{
    /// <summary>A <c>Score</c> number and no label: <c>predictions</c> is a list of numbers.</summary>
    Regression,

    /// <summary>A boolean <c>PredictedLabel</c>: a list of booleans, or records with the positive class's probability.</summary>
    BinaryClassification,

    /// <summary>A <c>PredictedLabel</c> and a <c>Score</c> per class: a list of labels, or records with every class's probability.</summary>
    MulticlassClassification,

    /// <summary>Anything else: a record per row with every column the model writes.</summary>
    Other,
}
