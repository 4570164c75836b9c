namespace MlWorkflow.Data;

/// <summary>A data source could not be read: a missing or corrupt file, a malformed row, a type that cannot be mapped,
/// clashing schemas or an unsupported table feature. The message and the properties say where.</summary>
public class DataSourceException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public DataSourceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the error that caused it.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public DataSourceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that names where the problem is.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="filePath">The file, when known.</param>
    /// <param name="row">The row (1-based line for CSV, 0-based row within the row group or batch otherwise), when known.</param>
    /// <param name="rowGroup">The Parquet row group or Arrow record batch (0-based), when known.</param>
    /// <param name="column">The column, when known.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    /// <param name="byteOffset">The byte offset in the file, when a byte position is what names the place (a Parquet footer).</param>
    public DataSourceException(string message, string? filePath, long? row = null, int? rowGroup = null, string? column = null, Exception? innerException = null, long? byteOffset = null)
        : base(Compose(message, filePath, row, rowGroup, column, byteOffset), innerException)
    {
        FilePath = filePath;
        Row = row;
        RowGroup = rowGroup;
        Column = column;
        ByteOffset = byteOffset;
    }

    /// <summary>The file the problem is in, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The row the problem is in, when known (the 1-based line for CSV).</summary>
    public long? Row { get; }

    /// <summary>The Parquet row group or Arrow record batch the problem is in, when known.</summary>
    public int? RowGroup { get; }

    /// <summary>The column the problem is in, when known.</summary>
    public string? Column { get; }

    /// <summary>The byte offset in the file the problem is at, when known.</summary>
    public long? ByteOffset { get; }

    private static string Compose(string message, string? filePath, long? row, int? rowGroup, string? column, long? byteOffset)
    {
        var where = new List<string>();
        if (filePath is not null)
        {
            where.Add($"file '{filePath}'");
        }

        if (rowGroup is not null)
        {
            where.Add($"row group {rowGroup}");
        }

        if (row is not null)
        {
            where.Add($"row {row}");
        }

        if (column is not null)
        {
            where.Add($"column '{column}'");
        }

        if (byteOffset is not null)
        {
            where.Add($"byte offset {byteOffset}");
        }

        return where.Count == 0 ? message : $"{message} ({string.Join(", ", where)})";
    }
}
