using System.Globalization;
using MlWorkflow.Evaluation;
using MlWorkflow.Testing.Metrics;

namespace MlWorkflow.Testing.Models;

/// <summary>The outcome of a champion vs challenger comparison: both models' metrics on the same data and whether the candidate is no worse by the margin.</summary>
public sealed class ChallengeResult
{
    internal ChallengeResult(string championUri, ChallengeOptions options, bool lowerIsBetter, MetricSet candidateMetrics, MetricSet championMetrics)
    {
        ChampionUri = championUri;
        Metric = options.Metric;
        Margin = options.Margin;
        LowerIsBetter = lowerIsBetter;
        CandidateMetrics = candidateMetrics;
        ChampionMetrics = championMetrics;
        CandidateValue = candidateMetrics[options.Metric];
        ChampionValue = championMetrics[options.Metric];
        Passed = lowerIsBetter ? CandidateValue <= ChampionValue + Margin : CandidateValue >= ChampionValue - Margin;
    }

    /// <summary>The champion's model URI, such as <c>models:/Name@champion</c>.</summary>
    public string ChampionUri { get; }

    /// <summary>The metric compared.</summary>
    public string Metric { get; }

    /// <summary>How much worse the candidate was allowed to be.</summary>
    public double Margin { get; }

    /// <summary>Whether a lower value of the metric is better.</summary>
    public bool LowerIsBetter { get; }

    /// <summary>The candidate's metrics on the data.</summary>
    public MetricSet CandidateMetrics { get; }

    /// <summary>The champion's metrics on the same data.</summary>
    public MetricSet ChampionMetrics { get; }

    /// <summary>The candidate's value of the metric.</summary>
    public double CandidateValue { get; }

    /// <summary>The champion's value of the metric.</summary>
    public double ChampionValue { get; }

    /// <summary>Whether the candidate is no worse than the champion by more than the margin.</summary>
    public bool Passed { get; }

    /// <summary>What was compared, with both values, such as <c>Candidate rmse 0.31 vs champion 'models:/cars@champion' 0.22 (lower is better, margin 0.01): worse.</c></summary>
    public string Message => string.Create(CultureInfo.InvariantCulture,
        $"Candidate {Metric} {CandidateValue:R} vs champion '{ChampionUri}' {ChampionValue:R} ({(LowerIsBetter ? "lower" : "higher")} is better, margin {Margin:R}): {(Passed ? "no worse" : "worse")}.");

    /// <summary>Throws when the candidate is worse than the champion by more than the margin.</summary>
    /// <exception cref="ModelAssertionException">The candidate is worse; the message is <see cref="Message"/>.</exception>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new ModelAssertionException(Message);
        }
    }

    /// <summary>The message.</summary>
    /// <returns><see cref="Message"/>.</returns>
    public override string ToString() => Message;
}
