using System.Globalization;

namespace MlWorkflow.Splitting;

/// <summary>
/// A split by a column's values: with no threshold, a Boolean column whose true rows are the test set; with one, the rows
/// whose number (or date) is at least the threshold.
/// </summary>
/// <param name="Column">The column.</param>
/// <param name="NumberFrom">The numeric threshold, or null.</param>
/// <param name="DateFrom">The date threshold, or null.</param>
internal sealed record ColumnSplit(string Column, double? NumberFrom, DateTime? DateFrom)
{
    /// <summary>Whether the column is a test marker (Boolean) rather than a value compared with a threshold.</summary>
    public bool IsMarker => NumberFrom is null && DateFrom is null;

    /// <summary>The threshold as logged, or null for a marker.</summary>
    public string? Threshold =>
        NumberFrom is { } number ? number.ToString("R", CultureInfo.InvariantCulture)
        : DateFrom is { } date ? date.ToString("O", CultureInfo.InvariantCulture)
        : null;

    /// <summary>What the split expects of the column, for error messages.</summary>
    public string Expected => IsMarker ? "a Boolean column (true = test row)" : NumberFrom is not null ? "a numeric column" : "a DateTime column";
}
