using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Data.Writing;

/// <summary>One written column: a scalar source column, or one slot of a known-size vector column.</summary>
internal sealed record OutputColumn(string Name, DataViewSchema.Column Source, Type ValueType, int? Slot)
{
    public static List<OutputColumn> From(DataViewSchema schema, string path)
    {
        var columns = new List<OutputColumn>();
        foreach (var column in schema.Where(c => !c.IsHidden))
        {
            if (column.Type is VectorDataViewType vector)
            {
                if (!vector.IsKnownSize)
                {
                    throw new DataSourceException($"Column '{column.Name}' is a variable-size vector, which cannot be written as flat columns", path, column: column.Name);
                }

                for (var i = 0; i < vector.Size; i++)
                {
                    columns.Add(new OutputColumn($"{column.Name}.{i}", column, vector.ItemType.RawType, i));
                }
            }
            else
            {
                columns.Add(new OutputColumn(column.Name, column, column.Type is KeyDataViewType ? column.Type.RawType : column.Type.RawType, null));
            }
        }

        return columns;
    }

    /// <summary>A reader of this column's value on the current row.</summary>
    public Func<T> Reader<T>(DataViewRowCursor cursor)
    {
        if (Slot is { } slot)
        {
            var getter = cursor.GetGetter<VBuffer<T>>(Source);
            VBuffer<T> buffer = default;
            return () =>
            {
                getter(ref buffer);
                return buffer.GetItemOrDefault(slot);
            };
        }

        var scalar = cursor.GetGetter<T>(Source);
        T value = default!;
        return () =>
        {
            scalar(ref value);
            return value;
        };
    }
}
