using System.Globalization;
using MlWorkflow.Evaluation;
using MlWorkflow.Testing.Metrics;

namespace MlWorkflow.Testing.Models;

/// <summary>The outcome of a champion vs challenger comparison: both models' metrics on the same data and whether the candidate is no worse by the margin.</summary>
public sealed class ChallengeResult
{
    internal ChallengeResult(
        string championUri, ChallengeOptions options, bool lowerIsBetter, MetricSet candidateMetrics, MetricSet championMetrics, string datasetDigest, int? championVersion, string? championRunId)
    {
        ChampionUri = championUri;
        DatasetDigest = datasetDigest;
        ChampionVersion = championVersion;
        ChampionRunId = championRunId;
        CandidateRunId = options.CandidateRunId;
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

    /// <summary>The digest of the data both models were evaluated on (the same whenever the data is).</summary>
    public string DatasetDigest { get; }

    /// <summary>The registry version the champion's URI resolved to, or null for a URI that is not a registry's (<c>runs:/</c>, a folder).</summary>
    public int? ChampionVersion { get; }

    /// <summary>The run that logged the champion, or null when unknown.</summary>
    public string? ChampionRunId { get; }

    /// <summary>The candidate's run (<see cref="ChallengeOptions.CandidateRunId"/>), or null when unknown.</summary>
    public string? CandidateRunId { get; }

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

    /// <summary>
    /// What was compared: both values, the margin, the data set's digest, the candidate's run and the champion's version and run,
    /// such as <c>Candidate (run 'c1') rmse 0.31 vs champion 'models:/cars@champion' (version 2, run 'a7') 0.22 on data set digest
    /// '9f3e' (lower is better, margin 0.01): worse.</c>
    /// </summary>
    public string Message
    {
        get
        {
            var candidate = CandidateRunId is null ? string.Empty : $" (run '{CandidateRunId}')";
            var champion = (ChampionVersion, ChampionRunId) switch
            {
                (null, null) => string.Empty,
                (null, { } run) => $" (run '{run}')",
                ({ } version, null) => $" (version {version})",
                ({ } version, { } run) => $" (version {version}, run '{run}')",
            };
            return string.Create(CultureInfo.InvariantCulture,
                $"Candidate{candidate} {Metric} {CandidateValue:R} vs champion '{ChampionUri}'{champion} {ChampionValue:R} on data set digest '{DatasetDigest}' ({(LowerIsBetter ? "lower" : "higher")} is better, margin {Margin:R}): {(Passed ? "no worse" : "worse")}.");
        }
    }

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
