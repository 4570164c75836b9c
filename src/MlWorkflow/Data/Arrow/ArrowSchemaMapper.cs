using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using MlWorkflow.Data.Columnar;

namespace MlWorkflow.Data.Arrow;

/// <summary>Maps Arrow fields to ML.NET columns with the same mapping as Parquet (see <see cref="ColumnarReadOptions"/>);
/// dictionary-encoded columns map as their value type.</summary>
internal static class ArrowSchemaMapper
{
    public static IReadOnlyList<ArrowColumnPlan> Map(Schema schema, string source, UnsupportedColumnPolicy policy)
    {
        var plans = new List<ArrowColumnPlan>();
        for (var i = 0; i < schema.FieldsList.Count; i++)
        {
            var field = schema.FieldsList[i];
            var plan = field.DataType switch
            {
                ListType list => Vector(field.Name, i, list.ValueDataType),
                FixedSizeListType fixedList => Vector(field.Name, i, fixedList.ValueDataType),
                var type => Accessor(type) is var (elementType, read) ? Create(typeof(ArrowScalarPlan<>), elementType, ColumnSpec.Scalar(field.Name, elementType), i, read) : null,
            };
            if (plan is not null)
            {
                plans.Add(plan);
            }
            else if (policy == UnsupportedColumnPolicy.Fail)
            {
                throw new DataSourceException($"Column '{field.Name}' has Arrow type {field.DataType.Name}, which has no ML.NET mapping; pass UnsupportedColumns = Skip to leave it out", source, column: field.Name);
            }
        }

        return plans;
    }

    private static ArrowColumnPlan? Vector(string name, int index, IArrowType item) =>
        Accessor(item) is var (elementType, read) ? Create(typeof(ArrowVectorPlan<>), elementType, ColumnSpec.Vector(name, elementType), index, read) : null;

    private static ArrowColumnPlan Create(Type plan, Type elementType, ColumnSpec spec, int index, Delegate read) =>
        (ArrowColumnPlan)Activator.CreateInstance(plan.MakeGenericType(elementType), spec, index, read)!;

    /// <summary>The ML.NET element type and a typed accessor for a non-null value, or null when the type has no mapping.</summary>
    private static (Type, Delegate)? Accessor(IArrowType type) => type switch
    {
        BooleanType => (typeof(bool), (Func<IArrowArray, int, bool>)((a, i) => ((BooleanArray)a).GetValue(i)!.Value)),
        Int8Type => (typeof(sbyte), (Func<IArrowArray, int, sbyte>)((a, i) => ((Int8Array)a).Values[i])),
        Int16Type => (typeof(short), (Func<IArrowArray, int, short>)((a, i) => ((Int16Array)a).Values[i])),
        Int32Type => (typeof(int), (Func<IArrowArray, int, int>)((a, i) => ((Int32Array)a).Values[i])),
        Int64Type => (typeof(long), (Func<IArrowArray, int, long>)((a, i) => ((Int64Array)a).Values[i])),
        UInt8Type => (typeof(byte), (Func<IArrowArray, int, byte>)((a, i) => ((UInt8Array)a).Values[i])),
        UInt16Type => (typeof(ushort), (Func<IArrowArray, int, ushort>)((a, i) => ((UInt16Array)a).Values[i])),
        UInt32Type => (typeof(uint), (Func<IArrowArray, int, uint>)((a, i) => ((UInt32Array)a).Values[i])),
        UInt64Type => (typeof(ulong), (Func<IArrowArray, int, ulong>)((a, i) => ((UInt64Array)a).Values[i])),
        FloatType => (typeof(float), (Func<IArrowArray, int, float>)((a, i) => ((FloatArray)a).Values[i])),
        DoubleType => (typeof(double), (Func<IArrowArray, int, double>)((a, i) => ((DoubleArray)a).Values[i])),
        StringType => (typeof(ReadOnlyMemory<char>), (Func<IArrowArray, int, ReadOnlyMemory<char>>)((a, i) => ((StringArray)a).GetString(i).AsMemory())),
        LargeStringType => (typeof(ReadOnlyMemory<char>), (Func<IArrowArray, int, ReadOnlyMemory<char>>)((a, i) => ((LargeStringArray)a).GetString(i).AsMemory())),
        BinaryType => (typeof(ReadOnlyMemory<char>), (Func<IArrowArray, int, ReadOnlyMemory<char>>)((a, i) => System.Text.Encoding.UTF8.GetString(((BinaryArray)a).GetBytes(i)).AsMemory())),
        Date32Type => (typeof(DateTime), (Func<IArrowArray, int, DateTime>)((a, i) => ((Date32Array)a).GetDateTime(i)!.Value)),
        Date64Type => (typeof(DateTime), (Func<IArrowArray, int, DateTime>)((a, i) => ((Date64Array)a).GetDateTime(i)!.Value)),
        TimestampType => (typeof(DateTime), (Func<IArrowArray, int, DateTime>)((a, i) => ((TimestampArray)a).GetTimestamp(i)!.Value.UtcDateTime)),
        Time32Type => (typeof(TimeSpan), (Func<IArrowArray, int, TimeSpan>)((a, i) => ((Time32Array)a).GetTime(i)!.Value.ToTimeSpan())),
        Time64Type => (typeof(TimeSpan), (Func<IArrowArray, int, TimeSpan>)((a, i) => ((Time64Array)a).GetTime(i)!.Value.ToTimeSpan())),
        Decimal128Type => (typeof(double), (Func<IArrowArray, int, double>)((a, i) => double.Parse(((Decimal128Array)a).GetString(i), CultureInfo.InvariantCulture))),
        DictionaryType dictionary => Accessor(dictionary.ValueType) is var (valueType, read) ? (valueType, Dictionary(valueType, read)) : null,
        _ => null,
    };

    private static Delegate Dictionary(Type valueType, Delegate read) =>
        (Delegate)typeof(ArrowSchemaMapper).GetMethod(nameof(DictionaryAccessor), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(valueType).Invoke(null, [read])!;

    private static Func<IArrowArray, int, T> DictionaryAccessor<T>(Func<IArrowArray, int, T> read) => (a, i) =>
    {
        var dictionary = (DictionaryArray)a;
        var index = dictionary.Indices switch
        {
            Int8Array x => x.Values[i],
            Int16Array x => x.Values[i],
            Int32Array x => x.Values[i],
            Int64Array x => (int)x.Values[i],
            UInt8Array x => x.Values[i],
            UInt16Array x => x.Values[i],
            UInt32Array x => (int)x.Values[i],
            var other => throw new InvalidOperationException($"Dictionary index type {other.Data.DataType.Name} is not supported."),
        };
        return read(dictionary.Dictionary, index);
    };
}
