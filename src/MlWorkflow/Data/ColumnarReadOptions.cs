namespace MlWorkflow.Data;

/// <summary>Options for the columnar sources: Parquet, Arrow and Delta.</summary>
/// <remarks>
/// Type mapping (Parquet physical/logical type or Arrow type → ML.NET):
/// BOOLEAN → <c>Boolean</c>; INT(8,signed) → <c>SByte</c>; INT(16) → <c>Int16</c>; INT32 → <c>Int32</c>; INT64 → <c>Int64</c>;
/// unsigned ints → <c>Byte</c>/<c>UInt16</c>/<c>UInt32</c>/<c>UInt64</c>; FLOAT → <c>Single</c>; DOUBLE → <c>Double</c>;
/// DECIMAL (any physical type) → <c>Double</c>; UTF8/STRING, enums and dictionary-encoded strings → <c>Text</c>;
/// BYTE_ARRAY without annotation and Arrow binary → <c>Text</c> (decoded as UTF-8, as Impala and Hive write strings); DATE and TIMESTAMP (INT96 and INT64 in millis, micros, nanos) → <c>DateTime</c>;
/// TIME → <c>TimeSpan</c>; a LIST of a primitive type → a variable-length vector of that type; struct fields → one column each,
/// named <c>struct.field</c>. Maps, nested lists, unions and FLOAT16 have no mapping (see <see cref="UnsupportedColumns"/>).
/// </remarks>
public sealed class ColumnarReadOptions
{
    /// <summary>What a null value becomes. The default value is <see cref="MissingValuePolicy.Substitute"/>.</summary>
    public MissingValuePolicy MissingValues { get; init; } = MissingValuePolicy.Substitute;

    /// <summary>What happens to a column with no ML.NET mapping. The default value is <see cref="UnsupportedColumnPolicy.Fail"/>.</summary>
    public UnsupportedColumnPolicy UnsupportedColumns { get; init; } = UnsupportedColumnPolicy.Fail;

    /// <summary>The largest Parquet footer (file metadata) accepted, in bytes, from 1 to 1 GiB (1073741824). The footer's length is
    /// read from the file's last 8 bytes and checked, against this limit and against the file's size, before anything is allocated
    /// for it; a larger or impossible length gives a <see cref="DataSourceException"/> naming the file and the byte offset of the
    /// length. Applies to Parquet files, Delta data files and Delta checkpoints. The default value is 128 MiB (134217728), far
    /// above the footer of a file with thousands of columns and row groups.</summary>
    public int MaxParquetFooterLength { get; init; } = DefaultMaxParquetFooterLength;

    /// <summary>The longest line (one action) of a Delta commit file accepted, in bytes, from 1 to 1 GiB (1073741824). A longer line
    /// gives a <see cref="DataSourceException"/> naming the commit file and line as soon as the limit is passed. The default value
    /// is 64 MiB (67108864).</summary>
    public int MaxDeltaLogLineLength { get; init; } = DefaultMaxDeltaLogLineLength;

    /// <summary>The default of <see cref="MaxParquetFooterLength"/>: 128 MiB.</summary>
    internal const int DefaultMaxParquetFooterLength = 128 << 20;

    /// <summary>The default of <see cref="MaxDeltaLogLineLength"/>: 64 MiB.</summary>
    internal const int DefaultMaxDeltaLogLineLength = 64 << 20;

    /// <summary>The largest value the limits take: 1 GiB.</summary>
    internal const int LargestLimit = 1 << 30;

    /// <summary>The default options.</summary>
    public static ColumnarReadOptions Default { get; } = new();
}
