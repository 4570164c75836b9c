using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Features;

/// <summary>Helpers that classify ML.NET column types for validation and messages.</summary>
internal static class ColumnTypes
{
    public static bool IsNumeric(DataViewType type) =>
        type is NumberDataViewType;

    public static bool IsFloatingPoint(DataViewType type) =>
        type == NumberDataViewType.Single || type == NumberDataViewType.Double;

    // Keys are UInt32 underneath but are categories, not counts: SchemaShape reports them apart (IsKey), a schema as KeyDataViewType.
    public static bool IsWholeNumber(DataViewType type) =>
        type == NumberDataViewType.SByte || type == NumberDataViewType.Byte || type == NumberDataViewType.Int16 || type == NumberDataViewType.UInt16
        || type == NumberDataViewType.Int32 || type == NumberDataViewType.UInt32 || type == NumberDataViewType.Int64 || type == NumberDataViewType.UInt64;

    public static bool IsText(DataViewType type) => type is TextDataViewType;

    public static bool IsBoolean(DataViewType type) => type is BooleanDataViewType;

    public static string Describe(SchemaShape.Column column)
    {
        var item = column.IsKey ? $"key of {column.ItemType}" : column.ItemType.ToString() ?? "unknown";
        return column.Kind == SchemaShape.Column.VectorKind.Scalar ? item : $"a vector of {item}";
    }

    public static string Describe(DataViewType type) => type switch
    {
        VectorDataViewType vector => $"a vector of {vector.ItemType}",
        KeyDataViewType key => $"key of {key.RawType.Name}",
        _ => type.ToString() ?? "unknown",
    };

    // SchemaShape.Create(DataViewSchema) is internal to ML.NET ("best friend"); it is the one way to get a shape from a schema.
    private static readonly Func<DataViewSchema, SchemaShape> CreateShape =
        typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)])
            ?.CreateDelegate<Func<DataViewSchema, SchemaShape>>()
        ?? throw new InvalidOperationException("This ML.NET version has no SchemaShape.Create(DataViewSchema).");

    public static SchemaShape ToShape(DataViewSchema schema) => CreateShape(schema);

    /// <summary>Whether the column exists and one of ML.NET's normalisers marked it (the <c>IsNormalized</c> annotation).</summary>
    public static bool IsMarkedNormalized(SchemaShape shape, string name) =>
        shape.TryFindColumn(name, out var column) && column.Annotations.TryFindColumn("IsNormalized", out _);

    /// <summary>Finds a column by name (the last one of that name, as ML.NET does).</summary>
    public static bool TryFindColumn(this SchemaShape shape, string name, out SchemaShape.Column column)
    {
        for (var i = shape.Count - 1; i >= 0; i--)
        {
            if (shape[i].Name == name)
            {
                column = shape[i];
                return true;
            }
        }

        column = default;
        return false;
    }
}
