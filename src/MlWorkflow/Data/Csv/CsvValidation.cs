namespace MlWorkflow.Data.Csv;

/// <summary>The outcome of a whole-file check of a CSV file.</summary>
/// <param name="Columns">The columns with their final kinds: an inferred integer column that holds a missing value or a fraction past
/// the sample becomes the real type (a larger integer makes an inferred Int32 column Int64), an inferred boolean column that holds
/// other text becomes text.</param>
/// <param name="HasMultilineFields">Whether a quoted field holds a line break (the loader must then read multi-line records).</param>
/// <param name="Rows">The number of data rows.</param>
/// <param name="HasMissingReals">Whether a real column has an empty field (read as NaN).</param>
internal sealed record CsvValidation(IReadOnlyList<CsvColumn> Columns, bool HasMultilineFields, long Rows, bool HasMissingReals = true);
