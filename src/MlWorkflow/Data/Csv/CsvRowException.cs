namespace MlWorkflow.Data.Csv;

/// <summary>A malformed row found while scanning one chunk of a CSV file; the line is counted from the chunk's start and becomes a
/// <see cref="DataSourceException"/> once the lines of the chunks before it are known.</summary>
internal sealed class CsvRowException(string message, long line, string? column, bool unclosedQuoteAtEnd) : Exception(message)
{
    /// <summary>The 1-based line within the chunk.</summary>
    public long Line { get; } = line;

    /// <summary>The column, when one is to blame.</summary>
    public string? Column { get; } = column;

    /// <summary>Whether a quoted field was still open at the chunk's end (at a chunk boundary: the field goes on in the next chunk).</summary>
    public bool UnclosedQuoteAtEnd { get; } = unclosedQuoteAtEnd;
}
