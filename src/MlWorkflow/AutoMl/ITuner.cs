namespace MlWorkflow.AutoMl;

/// <summary>Proposes trials and learns from their results; deterministic for its seed and the results it is told.</summary>
internal interface ITuner
{
    TrialProposal Propose();

    /// <summary>Reports a trial: its loss (lower is better; +∞ when it did not succeed) and its cost (seconds, or a deterministic proxy).</summary>
    void Report(TrialProposal proposal, double loss, double cost);
}
