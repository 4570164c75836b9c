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

    /// <summary>The default options.</summary>
    public static ColumnarReadOptions Default { get; } = new();
}
