using MlWorkflow.Data.Columnar;
using Parquet.Schema;

namespace MlWorkflow.Data.Parquet;

/// <summary>Maps a Parquet schema to ML.NET columns (see <see cref="ColumnarReadOptions"/> for the table).</summary>
internal static class ParquetSchemaMapper
{
    public static IReadOnlyList<ParquetColumnPlan> Map(ParquetSchema schema, string filePath, UnsupportedColumnPolicy options)
    {
        var plans = new List<ParquetColumnPlan>();
        foreach (var field in schema.Fields)
        {
            MapField(field, field.Name, plans, filePath, options);
        }

        return plans;
    }

    /// <summary>The ML.NET element type for a Parquet.Net CLR type, or null when there is none.</summary>
    public static Type? ElementTypeFor(Type clrType)
    {
        if (clrType == typeof(string) || clrType == typeof(ReadOnlyMemory<char>) || clrType == typeof(ReadOnlyMemory<byte>) || clrType == typeof(byte[]))
        {
            return typeof(ReadOnlyMemory<char>);
        }

        if (clrType == typeof(decimal))
        {
            return typeof(double);
        }

        if (clrType == typeof(DateOnly))
        {
            return typeof(DateTime);
        }

        if (clrType == typeof(TimeOnly))
        {
            return typeof(TimeSpan);
        }

        return clrType == typeof(bool) || clrType == typeof(sbyte) || clrType == typeof(byte) || clrType == typeof(short)
            || clrType == typeof(ushort) || clrType == typeof(int) || clrType == typeof(uint) || clrType == typeof(long)
            || clrType == typeof(ulong) || clrType == typeof(float) || clrType == typeof(double) || clrType == typeof(DateTime)
            || clrType == typeof(DateTimeOffset) || clrType == typeof(TimeSpan)
            ? clrType
            : null;
    }

    private static void MapField(Field field, string name, List<ParquetColumnPlan> plans, string filePath, UnsupportedColumnPolicy options)
    {
        switch (field)
        {
            case DataField data when data.MaxRepetitionLevel == 0:
                var scalar = ElementTypeFor(data.ClrType);
                if (scalar is null)
                {
                    Unsupported(name, DescribeType(data), filePath, options);
                    return;
                }

                plans.Add(new ParquetColumnPlan(ColumnSpec.Scalar(name, scalar), data, false));
                return;
            case StructField structField:
                foreach (var child in structField.Fields)
                {
                    MapField(child, $"{name}.{child.Name}", plans, filePath, options);
                }

                return;
            case ListField { Item: DataField item } when item.MaxRepetitionLevel == 1:
                var element = ElementTypeFor(item.ClrType);
                if (element is null)
                {
                    Unsupported(name, $"LIST<{DescribeType(item)}>", filePath, options);
                    return;
                }

                plans.Add(new ParquetColumnPlan(ColumnSpec.Vector(name, element), item, true));
                return;
            default:
                Unsupported(name, DescribeType(field), filePath, options);
                return;
        }
    }

    private static void Unsupported(string name, string type, string filePath, UnsupportedColumnPolicy options)
    {
        if (options == UnsupportedColumnPolicy.Fail)
        {
            throw new DataSourceException(
                $"Column '{name}' has Parquet type {type}, which has no ML.NET mapping; pass UnsupportedColumns = Skip to leave it out",
                filePath, column: name);
        }
    }

    private static string DescribeType(Field field) => field switch
    {
        DataField data => $"{data.SchemaElement?.Type.ToString() ?? data.ClrType.Name}{(data.SchemaElement?.ConvertedType is { } converted ? $" ({converted})" : string.Empty)} read as {data.ClrType.Name}",
        ListField list => $"LIST<{DescribeType(list.Item)}>",
        MapField map => $"MAP<{DescribeType(map.Key)}, {DescribeType(map.Value)}>",
        StructField => "STRUCT",
        _ => field.SchemaType.ToString(),
    };
}
