using Microsoft.ML.Data;

namespace MlWorkflow.Data.Columnar;

/// <summary>One column of a columnar view: its name, ML.NET type and the CLR type of its values (the item type for vectors).</summary>
internal sealed record ColumnSpec(string Name, DataViewType Type, Type ElementType, bool IsVector)
{
    public static ColumnSpec Scalar(string name, Type elementType) =>
        new(name, DataViewTypes.ForClrType(elementType), elementType, false);

    public static ColumnSpec Vector(string name, Type elementType) =>
        new(name, new VectorDataViewType(DataViewTypes.ForClrType(elementType) as PrimitiveDataViewType
            ?? throw new ArgumentException($"No vector of {elementType}."), 0), elementType, true);

    public ColumnBuffer CreateBuffer() =>
        (ColumnBuffer)Activator.CreateInstance((IsVector ? typeof(VectorColumnBuffer<>) : typeof(ScalarColumnBuffer<>)).MakeGenericType(ElementType))!;
}
