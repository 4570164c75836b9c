namespace MlWorkflow.Exploration;

/// <summary>How a column is profiled.</summary>
public enum ColumnKind
{
    /// <summary>Numbers (Single, Double, whole numbers): moments, quantiles, histogram; NaN is missing.</summary>
    Numeric,

    /// <summary>True or false: counts of each value.</summary>
    Boolean,

    /// <summary>Text or key values: top values with counts; an empty text is missing.</summary>
    Categorical,

    /// <summary>Anything else (vectors, dates, ...): only its type and row count.</summary>
    Other,
}
