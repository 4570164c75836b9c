using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Data;

/// <summary>Reads a column of any of ML.NET's ten number types as doubles, row by row, NaN where a value is missing.</summary>
internal static class NumericColumn
{
    /// <summary>
    /// A getter of the cursor's current value as a double, or null when the column is not a number. With
    /// <paramref name="singlesAsShown"/>, a Single is read through its shortest text (0.1f reads 0.1, as a profile shows it);
    /// without, as its exact value (0.1f reads 0.100000001490116, as a split compares it). The default value is false.
    /// </summary>
    public static Func<double>? Getter(DataViewRowCursor cursor, DataViewSchema.Column column, bool singlesAsShown = false)
    {
        var type = column.Type;
        return type == NumberDataViewType.Double ? Of<double>(cursor, column, v => v)
            : type == NumberDataViewType.Single ? Of<float>(cursor, column, singlesAsShown ? AsShown : v => v)
            : type == NumberDataViewType.Int32 ? Of<int>(cursor, column, v => v)
            : type == NumberDataViewType.Int64 ? Of<long>(cursor, column, v => v)
            : type == NumberDataViewType.Int16 ? Of<short>(cursor, column, v => v)
            : type == NumberDataViewType.SByte ? Of<sbyte>(cursor, column, v => v)
            : type == NumberDataViewType.Byte ? Of<byte>(cursor, column, v => v)
            : type == NumberDataViewType.UInt16 ? Of<ushort>(cursor, column, v => v)
            : type == NumberDataViewType.UInt32 ? Of<uint>(cursor, column, v => v)
            : type == NumberDataViewType.UInt64 ? Of<ulong>(cursor, column, v => v)
            : null;
    }

    private static double AsShown(float value) => double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static Func<double> Of<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, double> convert)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }
}
