using Microsoft.ML.Data;

namespace MlWorkflow.Data;

/// <summary>How <see cref="DataSource.Csv"/> reads a file. Numbers are always culture-invariant (<c>1234.5</c>, never <c>1.234,5</c>).</summary>
/// <remarks>
/// Type inference looks at the first <see cref="SampleRows"/> rows: a column whose values are all <c>true</c>/<c>false</c> is
/// <c>Boolean</c>; all integers with none missing is <c>Int32</c> (<c>Int64</c> when a value needs it); any other numbers, or integers
/// with a missing value, are <see cref="RealType"/> with missing values as <c>NaN</c>; anything else is <c>Text</c> (missing = empty).
/// The whole file is then checked before a view is returned; an inferred integer column that turns out to hold a missing value or
/// a fraction further down becomes the real type, an inferred boolean column that holds other text becomes text. A row with the wrong number of fields, an unterminated quote, or a
/// value that does not fit its column's type gives a <see cref="DataSourceException"/> naming the file, line and column.
/// Memory stays bounded on hostile files: a field longer than <see cref="MaxFieldLength"/> or a header line longer than
/// <see cref="MaxHeaderLength"/> is refused the moment it passes the limit, naming the file, line and column.
/// </remarks>
public sealed class CsvOptions
{
    /// <summary>The field separator. The default value is <c>','</c>.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>Whether the first line holds the column names (otherwise columns are named <c>Column1</c>, <c>Column2</c>, …).
    /// The default value is <see langword="true"/>.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>How many rows type inference looks at. The default value is 1000.</summary>
    public int SampleRows { get; init; } = 1000;

    /// <summary>The type of inferred non-integer numeric columns: <see cref="DataKind.Double"/> or <see cref="DataKind.Single"/>.
    /// The default value is <see cref="DataKind.Double"/> (no precision is lost from the text).</summary>
    public DataKind RealType { get; init; } = DataKind.Double;

    /// <summary>Whether the whole file is checked before the view is returned (field counts, quotes, values that fit their column, and
    /// widening of inferred integer columns). Without the check a pass costs what ML.NET's TextLoader costs, but a malformed row is
    /// read as missing values instead of failing. The default value is <see langword="true"/>.</summary>
    public bool Validate { get; init; } = true;

    /// <summary>Per-column types that replace inference, by column name. The default value is empty.</summary>
    public IReadOnlyDictionary<string, DataKind> ColumnTypes { get; init; } = new Dictionary<string, DataKind>();

    /// <summary>The longest field accepted, in UTF-8 bytes (quotes excluded), from 1 to 1 GiB (1073741824). A longer field, quoted or
    /// not, gives a <see cref="DataSourceException"/> naming the file, line and column as soon as the limit is passed, so memory
    /// stays within a few times this limit whatever the file holds. The header and the inference sample are always held to it; the
    /// rest of the file when <see cref="Validate"/> is on. The default value is 16 MiB (16777216).</summary>
    public int MaxFieldLength { get; init; } = DefaultMaxFieldLength;

    /// <summary>The longest header line accepted, in UTF-8 bytes, from 1 to 1 GiB (1073741824); without a header
    /// (<see cref="HasHeader"/> off) the first row, which sets the column count, is held to it. A longer line gives a
    /// <see cref="DataSourceException"/> naming the file and line as soon as the limit is passed. The default value is 1 MiB
    /// (1048576), room for tens of thousands of column names.</summary>
    public int MaxHeaderLength { get; init; } = DefaultMaxHeaderLength;

    /// <summary>The default of <see cref="MaxFieldLength"/>: 16 MiB.</summary>
    internal const int DefaultMaxFieldLength = 16 << 20;

    /// <summary>The default of <see cref="MaxHeaderLength"/>: 1 MiB.</summary>
    internal const int DefaultMaxHeaderLength = 1 << 20;

    /// <summary>The largest value <see cref="MaxFieldLength"/> and <see cref="MaxHeaderLength"/> take: 1 GiB.</summary>
    internal const int LargestLimit = 1 << 30;
}
