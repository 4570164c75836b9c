namespace MlWorkflow.Tracking;

/// <summary>Which lifecycle stages a search returns, with MLflow's numeric values.</summary>
public enum ViewType
{
    /// <summary>Only active entities (the default).</summary>
    ActiveOnly = 1,

    /// <summary>Only soft-deleted entities.</summary>
    DeletedOnly = 2,

    /// <summary>Active and deleted entities.</summary>
    All = 3,
}
