using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Data.Describing;

/// <summary>Feeds one column's current value into a hash, for digests of in-memory data.</summary>
internal static class ValueHasher
{
    public static Action<IncrementalHash> Create(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        if (column.Type is VectorDataViewType vector)
        {
            return (Action<IncrementalHash>)typeof(ValueHasher).GetMethod(nameof(ForVector), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(vector.ItemType.RawType).Invoke(null, [cursor, column])!;
        }

        if (raw == typeof(ReadOnlyMemory<char>))
        {
            var text = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> value = default;
            return hash =>
            {
                text(ref value);
                hash.AppendData(BitConverter.GetBytes(value.Length));
                hash.AppendData(MemoryMarshal.AsBytes(value.Span));
            };
        }

        return (Action<IncrementalHash>)typeof(ValueHasher).GetMethod(nameof(ForScalar), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(raw).Invoke(null, [cursor, column])!;
    }

    private static Action<IncrementalHash> ForScalar<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
        where T : unmanaged
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default;
        return hash =>
        {
            getter(ref value);
            hash.AppendData(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));
        };
    }

    private static Action<IncrementalHash> ForVector<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        VBuffer<T> value = default;
        T[] dense = [];
        return hash =>
        {
            getter(ref value);
            hash.AppendData(BitConverter.GetBytes(value.Length));
            if (dense.Length < value.Length)
            {
                dense = new T[value.Length];
            }

            value.CopyTo(dense);
            foreach (var item in dense.AsSpan(0, value.Length))
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Convert.ToString(item, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
                hash.AppendData([0]);
            }
        };
    }
}
