using Microsoft.ML.Data;
using MlWorkflow.Features;

namespace MlWorkflow.Data;

/// <summary>
/// A column of new data has a type the model cannot read and that cannot be converted safely to the type it had in the
/// training data (for example Text where the model read Double, or Double with missing values where it read Int32).
/// Whole numbers and Single are widened to Double without this error (a file without missing values in a count reads it as
/// Int32, one with gaps as Double).
/// </summary>
public sealed class ColumnTypeMismatchException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="column">The column.</param>
    /// <param name="expectedType">The type in the training data (the model's input schema).</param>
    /// <param name="actualType">The type in the data given.</param>
    /// <param name="innerException">The error behind it, if any.</param>
    public ColumnTypeMismatchException(string column, DataViewType expectedType, DataViewType actualType, Exception? innerException = null)
        : base(Format(column, expectedType, actualType), innerException)
    {
        Column = column;
        ExpectedType = expectedType;
        ActualType = actualType;
    }

    /// <summary>The column.</summary>
    public string Column { get; }

    /// <summary>The column's type in the training data.</summary>
    public DataViewType ExpectedType { get; }

    /// <summary>The column's type in the data given.</summary>
    public DataViewType ActualType { get; }

    private static string Format(string column, DataViewType expected, DataViewType actual)
    {
        var name = column.Length <= 200 ? column : string.Concat(column.AsSpan(0, 199), "…");
        var problem = $"Column '{name}' is {actual} here but was {expected} in the training data, and {actual} cannot be converted to {expected} safely: ";
        if (ColumnTypes.IsWholeNumber(expected) && ColumnTypes.IsFloatingPoint(actual))
        {
            // A count complete in training and with gaps here: a whole number cannot hold a missing value, so reading it
            // as the training type would fail; MLflow's docs advise integer columns that may miss values be doubles.
            return problem + $"a whole-number column cannot hold missing or fractional values, so retrain with '{name}' read as Double "
                + $"(for a CSV file, CsvOptions.ColumnTypes[\"{name}\"] = DataKind.Double), or give whole numbers without gaps.";
        }

        return problem + $"read '{name}' as {expected} (for a CSV file, CsvOptions.ColumnTypes[\"{name}\"]), or retrain on data where it is {actual}.";
    }
}
