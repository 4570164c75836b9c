using Microsoft.ML.Data;

namespace MlWorkflow.Data.Columnar;

/// <summary>The ML.NET primitive type for each CLR value type the sources produce.</summary>
internal static class DataViewTypes
{
    public static DataViewType ForClrType(Type type) => type switch
    {
        _ when type == typeof(bool) => BooleanDataViewType.Instance,
        _ when type == typeof(sbyte) => NumberDataViewType.SByte,
        _ when type == typeof(byte) => NumberDataViewType.Byte,
        _ when type == typeof(short) => NumberDataViewType.Int16,
        _ when type == typeof(ushort) => NumberDataViewType.UInt16,
        _ when type == typeof(int) => NumberDataViewType.Int32,
        _ when type == typeof(uint) => NumberDataViewType.UInt32,
        _ when type == typeof(long) => NumberDataViewType.Int64,
        _ when type == typeof(ulong) => NumberDataViewType.UInt64,
        _ when type == typeof(float) => NumberDataViewType.Single,
        _ when type == typeof(double) => NumberDataViewType.Double,
        _ when type == typeof(ReadOnlyMemory<char>) => TextDataViewType.Instance,
        _ when type == typeof(DateTime) => DateTimeDataViewType.Instance,
        _ when type == typeof(DateTimeOffset) => DateTimeOffsetDataViewType.Instance,
        _ when type == typeof(TimeSpan) => TimeSpanDataViewType.Instance,
        _ => throw new ArgumentException($"No ML.NET type for {type}.", nameof(type)),
    };

    /// <summary>The ML.NET missing value a null becomes under <see cref="MissingValuePolicy.Substitute"/>.</summary>
    public static T MissingValue<T>()
    {
        if (typeof(T) == typeof(double))
        {
            return (T)(object)double.NaN;
        }

        if (typeof(T) == typeof(float))
        {
            return (T)(object)float.NaN;
        }

        return default!;
    }
}
