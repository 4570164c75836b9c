namespace MlWorkflow.Exploration;

/// <summary>One column of a <see cref="DataProfile"/>: its type, missing values, distinct values, distribution and relation to the label.</summary>
public sealed class ColumnProfile
{
    internal ColumnProfile(string name, string type, ColumnKind kind)
    {
        Name = name;
        Type = type;
        Kind = kind;
    }

    /// <summary>The column's name.</summary>
    public string Name { get; }

    /// <summary>The ML.NET type, as ML.NET names it (<c>Double</c>, <c>String</c>, <c>Vector&lt;Single, 3&gt;</c>, ...).</summary>
    public string Type { get; }

    /// <summary>How the column was profiled.</summary>
    public ColumnKind Kind { get; }

    /// <summary>The rows.</summary>
    public long RowCount { get; internal set; }

    /// <summary>The rows whose value is missing: NaN for numbers, an empty text for text; 0 for the other kinds.</summary>
    public long MissingCount { get; internal set; }

    /// <summary>The share of rows whose value is missing, in [0, 1]; 0 without rows.</summary>
    public double MissingShare => RowCount == 0 ? 0 : MissingCount / (double)RowCount;

    /// <summary>The distinct present values (see <see cref="IsDistinctCountExact"/>); 0 for <see cref="ColumnKind.Other"/>.</summary>
    public long DistinctCount { get; internal set; }

    /// <summary>Whether <see cref="DistinctCount"/> is exact (up to <see cref="DataProfileOptions.ExactDistinctLimit"/>) or estimated.</summary>
    public bool IsDistinctCountExact { get; internal set; } = true;

    /// <summary>The distribution of a numeric column; null for the other kinds or when no value is present.</summary>
    public NumericSummary? Numeric { get; internal set; }

    /// <summary>
    /// The most frequent values, most first (ties by value): for categorical and boolean columns, and for numeric columns with
    /// at most <see cref="DataProfileOptions.TopValues"/> distinct values (classes held as numbers); empty otherwise.
    /// </summary>
    public IReadOnlyList<ValueCount> TopValues { get; internal set; } = [];

    /// <summary>
    /// The column's association with the label, or null for the label itself, for a column without enough values, or an
    /// unsupported pair: Pearson's r (numeric column, numeric label, in [−1, 1]), or the correlation ratio η of the numeric
    /// side grouped by the categorical one (in [0, 1]), or Cramér's V (categorical column, categorical label, in [0, 1]).
    /// <see cref="LabelCorrelationKind"/> says which.
    /// </summary>
    public double? LabelCorrelation { get; internal set; }

    /// <summary>What <see cref="LabelCorrelation"/> measures: <c>pearson</c>, <c>correlation_ratio</c> or <c>cramers_v</c>; null when it is null.</summary>
    public string? LabelCorrelationKind { get; internal set; }

    /// <summary>Spearman's rank correlation with a numeric label (numeric columns only, on the sample), or null.</summary>
    public double? SpearmanCorrelation { get; internal set; }
}
