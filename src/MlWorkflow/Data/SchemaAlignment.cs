using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Features;

namespace MlWorkflow.Data;

/// <summary>
/// Reads new data with the training data's column types: a column whose type differs is converted where no value can be
/// lost or misread (whole numbers and Single to Double, whole numbers and Double to Single, narrower whole numbers to wider
/// ones), so a model trained on a column read as Double (it had missing values) scores a file where it is Int32.
/// </summary>
internal static class SchemaAlignment
{
    /// <summary>The data with each of <paramref name="columns"/> that both schemas have converted to its type in <paramref name="expected"/>.</summary>
    /// <exception cref="ColumnTypeMismatchException">A column's type cannot be converted safely.</exception>
    public static IDataView Align(MLContext ml, IDataView data, DataViewSchema expected, IEnumerable<string> columns)
    {
        var conversions = new List<(string Column, DataKind Kind)>();
        foreach (var name in columns.Distinct(StringComparer.Ordinal))
        {
            var wanted = expected.GetColumnOrNull(name);
            var actual = data.Schema.GetColumnOrNull(name);
            if (wanted is null || actual is null || wanted.Value.Type.Equals(actual.Value.Type))
            {
                continue;
            }

            var kind = Conversion(wanted.Value.Type, actual.Value.Type)
                ?? throw new ColumnTypeMismatchException(name, wanted.Value.Type, actual.Value.Type);
            conversions.Add((name, kind));
        }

        if (conversions.Count == 0)
        {
            return data;
        }

        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        foreach (var (column, kind) in conversions)
        {
            chain = chain.Append(ml.Transforms.Conversion.ConvertType(column, column, kind));
        }

        return chain.Fit(data).Transform(data);
    }

    /// <summary>The data with one column converted to <paramref name="wanted"/>.</summary>
    /// <exception cref="ColumnTypeMismatchException">The column's type cannot be converted safely.</exception>
    public static IDataView AlignColumn(MLContext ml, IDataView data, string column, DataViewType wanted)
    {
        var actual = data.Schema[column].Type;
        if (actual.Equals(wanted))
        {
            return data;
        }

        var kind = Conversion(wanted, actual) ?? throw new ColumnTypeMismatchException(column, wanted, actual);
        return ml.Transforms.Conversion.ConvertType(column, column, kind).Fit(data).Transform(data);
    }

    // The kind to convert to, or null when values could be lost or misread (text, dates, missing values in a whole number...).
    private static DataKind? Conversion(DataViewType wanted, DataViewType actual)
    {
        if (wanted is VectorDataViewType wantedVector && actual is VectorDataViewType actualVector)
        {
            return wantedVector.Size == actualVector.Size ? ScalarConversion(wantedVector.ItemType, actualVector.ItemType) : null;
        }

        return wanted is VectorDataViewType || actual is VectorDataViewType ? null : ScalarConversion(wanted, actual);
    }

    private static DataKind? ScalarConversion(DataViewType wanted, DataViewType actual)
    {
        if (wanted is KeyDataViewType || actual is KeyDataViewType || wanted is not NumberDataViewType || actual is not NumberDataViewType)
        {
            return null;
        }

        if (wanted == NumberDataViewType.Double)
        {
            return DataKind.Double;
        }

        if (wanted == NumberDataViewType.Single)
        {
            // The model's features are Single: a Double read as Single is the value it would have read from the training file.
            return DataKind.Single;
        }

        if (!ColumnTypes.IsWholeNumber(actual) || !ColumnTypes.IsWholeNumber(wanted))
        {
            return null;
        }

        return WholeNumberRange(actual) is var (low, high) && WholeNumberRange(wanted) is var (wantedLow, wantedHigh) && low >= wantedLow && high <= wantedHigh
            ? WholeNumberKind(wanted)
            : null;
    }

    private static (decimal Low, decimal High) WholeNumberRange(DataViewType type) => type switch
    {
        _ when type == NumberDataViewType.SByte => (sbyte.MinValue, sbyte.MaxValue),
        _ when type == NumberDataViewType.Byte => (byte.MinValue, byte.MaxValue),
        _ when type == NumberDataViewType.Int16 => (short.MinValue, short.MaxValue),
        _ when type == NumberDataViewType.UInt16 => (ushort.MinValue, ushort.MaxValue),
        _ when type == NumberDataViewType.Int32 => (int.MinValue, int.MaxValue),
        _ when type == NumberDataViewType.UInt32 => (uint.MinValue, uint.MaxValue),
        _ when type == NumberDataViewType.Int64 => (long.MinValue, long.MaxValue),
        _ => (ulong.MinValue, ulong.MaxValue),
    };

    private static DataKind WholeNumberKind(DataViewType type) => type switch
    {
        _ when type == NumberDataViewType.SByte => DataKind.SByte,
        _ when type == NumberDataViewType.Byte => DataKind.Byte,
        _ when type == NumberDataViewType.Int16 => DataKind.Int16,
        _ when type == NumberDataViewType.UInt16 => DataKind.UInt16,
        _ when type == NumberDataViewType.Int32 => DataKind.Int32,
        _ when type == NumberDataViewType.UInt32 => DataKind.UInt32,
        _ when type == NumberDataViewType.Int64 => DataKind.Int64,
        _ => DataKind.UInt64,
    };
}
