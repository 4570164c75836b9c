using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Tests.Data;

/// <summary>Test helpers: read every value of a view through typed getters (boxed here, for comparison only).</summary>
internal static class DataViewRows
{
    public static string TestData(params string[] parts) =>
        Path.Combine([TestContext.CurrentContext.TestDirectory, "TestData", .. parts]);

    /// <summary>Reads all rows; vectors become arrays, text becomes string.</summary>
    public static List<object?[]> ReadAll(IDataView view)
    {
        var rows = new List<object?[]>();
        using var cursor = view.GetRowCursor(view.Schema);
        var getters = view.Schema.Select(c => MakeGetter(cursor, c)).ToArray();
        while (cursor.MoveNext())
        {
            rows.Add(getters.Select(g => g()).ToArray());
        }

        return rows;
    }

    /// <summary>One column's values.</summary>
    public static List<object?> Column(IDataView view, string name)
    {
        var index = view.Schema[name].Index;
        return ReadAll(view).Select(r => r[index]).ToList();
    }

    public static long Count(IDataView view)
    {
        long rows = 0;
        using var cursor = view.GetRowCursor(view.Schema);
        var getters = view.Schema.Select(c => MakeGetter(cursor, c)).ToArray();
        while (cursor.MoveNext())
        {
            foreach (var getter in getters)
            {
                getter();
            }

            rows++;
        }

        return rows;
    }

    private static Func<object?> MakeGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType vector)
        {
            return (Func<object?>)typeof(DataViewRows).GetMethod(nameof(VectorGetter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(vector.ItemType.RawType).Invoke(null, [cursor, column])!;
        }

        return (Func<object?>)typeof(DataViewRows).GetMethod(nameof(ScalarGetter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(column.Type.RawType).Invoke(null, [cursor, column])!;
    }

    private static Func<object?> ScalarGetter<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            return value is ReadOnlyMemory<char> text ? text.ToString() : value;
        };
    }

    private static Func<object?> VectorGetter<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        return () =>
        {
            VBuffer<T> value = default;
            getter(ref value);
            var dense = value.DenseValues().ToArray();
            return dense is ReadOnlyMemory<char>[] texts ? texts.Select(t => t.ToString()).ToArray() : dense;
        };
    }
}
