namespace MlWorkflow.Evaluation;

/// <summary>
/// The model gave no prediction (a NaN score) for some of the rows being evaluated, so metrics over the other rows would
/// overstate it. Usually a feature is missing or not finite in those rows where the training rows had values: impute it
/// (<c>ReplaceMissing</c>) or drop those rows before evaluating.
/// </summary>
public sealed class UnscoredRowsException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="rows">The rows without a prediction.</param>
    /// <param name="totalRows">The rows evaluated.</param>
    /// <param name="firstRow">The position (from 0) of the first row without a prediction.</param>
    public UnscoredRowsException(long rows, long totalRows, long firstRow)
        : base($"{rows} of {totalRows} rows got no prediction (a NaN score; the first is row {firstRow}, counted from 0), so metrics over the others would overstate the model. "
            + "A feature of those rows is probably missing or not finite where the training rows had values: impute it with Features(f => f.ReplaceMissing(...)) or drop those rows.")
    {
        Rows = rows;
        TotalRows = totalRows;
        FirstRow = firstRow;
    }

    /// <summary>The rows without a prediction.</summary>
    public long Rows { get; }

    /// <summary>The rows evaluated.</summary>
    public long TotalRows { get; }

    /// <summary>The position (from 0, in the evaluated data's order) of the first row without a prediction.</summary>
    public long FirstRow { get; }
}
