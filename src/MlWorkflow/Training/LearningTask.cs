namespace MlWorkflow.Training;

/// <summary>The kind of prediction a trainer learns.</summary>
public enum LearningTask
{
    /// <summary>A number (label: Single, or any numeric type converted to Single).</summary>
    Regression,

    /// <summary>Yes or no (label: Boolean, or a 0/1 number where non-zero means true).</summary>
    BinaryClassification,

    /// <summary>One of several classes (label: text, number or key).</summary>
    MulticlassClassification,
}
