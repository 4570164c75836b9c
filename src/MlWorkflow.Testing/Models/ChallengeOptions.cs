using MlWorkflow.Training;

namespace MlWorkflow.Testing.Models;

/// <summary>How <see cref="ChampionChallenger"/> compares a candidate model with the champion.</summary>
public sealed class ChallengeOptions
{
    /// <summary>The task both models were trained for, which says how they are evaluated.</summary>
    public required LearningTask Task { get; init; }

    /// <summary>The metric compared, such as <c>rmse</c> or <c>accuracy</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>How much worse than the champion the candidate may be (in the metric's units). The default value is 0.</summary>
    public double Margin { get; init; }

    /// <summary>The label column of the data. The default value is <c>Label</c>.</summary>
    public string LabelColumn { get; init; } = "Label";

    /// <summary>
    /// Whether a lower value of <see cref="Metric"/> is better; null to infer it from the name (errors and losses such as
    /// <c>rmse</c>, <c>mae</c>, <c>mse</c>, <c>log_loss</c> are lower-is-better, the rest higher-is-better). The default value is null.
    /// </summary>
    public bool? LowerIsBetter { get; init; }

    /// <summary>The candidate's run, named in the comparison's message. The default value is null (unknown).</summary>
    public string? CandidateRunId { get; init; }
}
