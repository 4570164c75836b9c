namespace MlWorkflow.AutoMl;

/// <summary>How the search proposes the next trial.</summary>
public enum AutoMlTuner
{
    /// <summary>
    /// Cost-frugal search (the ideas of FLAML's CFO and BlendSearch): every trainer starts at a cheap point, a randomised
    /// local search moves around each trainer's best point, a converged search restarts at a random point, and the next
    /// trainer is drawn by its estimated cost to improve. The default.
    /// </summary>
    CostFrugal,

    /// <summary>Uniform random search over every trainer and its search ranges: the baseline the cost-frugal search is measured against.</summary>
    Random,
}
