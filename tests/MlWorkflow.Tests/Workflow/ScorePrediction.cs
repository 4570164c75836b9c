namespace MlWorkflow.Tests.Workflow;

/// <summary>A score read back from a regression model.</summary>
public sealed class ScorePrediction
{
    /// <summary>The predicted value.</summary>
    public float Score { get; set; }
}
