using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Features;

/// <summary>A user's own row mapping from <typeparamref name="TSource"/> columns to <typeparamref name="TDestination"/> columns.</summary>
/// <typeparam name="TSource">The class whose fields or properties name the input columns.</typeparam>
/// <typeparam name="TDestination">The class whose fields or properties name the output columns.</typeparam>
internal sealed class CustomMappingStep<TSource, TDestination> : FeatureStep
    where TSource : class, new()
    where TDestination : class, new()
{
    private readonly string _mappingName;
    private readonly Action<TSource, TDestination> _mapping;
    private readonly string? _contractName;

    public CustomMappingStep(string mappingName, Action<TSource, TDestination> mapping, string? contractName)
        : base("custom_mapping")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mappingName);
        ArgumentNullException.ThrowIfNull(mapping);
        _mappingName = mappingName;
        _mapping = mapping;
        _contractName = contractName;
    }

    public override IReadOnlyList<string> InputColumns =>
        SchemaDefinition.Create(typeof(TSource)).Select(c => c.ColumnName).ToArray();

    public override IReadOnlyList<string> OutputColumns =>
        SchemaDefinition.Create(typeof(TDestination)).Select(c => c.ColumnName).ToArray();

    public override IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string>
    {
        ["mapping"] = _mappingName,
        ["inputs"] = string.Join(",", InputColumns),
        ["outputs"] = string.Join(",", OutputColumns),
    };

    public override IEstimator<ITransformer> CreateEstimator(MLContext mlContext) =>
        mlContext.Transforms.CustomMapping(_mapping, _contractName);

    public override SchemaShape Validate(MLContext mlContext, SchemaShape input)
    {
        foreach (var column in SchemaDefinition.Create(typeof(TSource)))
        {
            CheckInputColumn(input, column.ColumnName);
            input.TryFindColumn(column.ColumnName, out var found);
            var wanted = column.ColumnType is VectorDataViewType vector ? vector.ItemType : column.ColumnType;
            if (!found.ItemType.Equals(wanted))
            {
                throw new FeatureValidationException(
                    this,
                    column.ColumnName,
                    $"column '{column.ColumnName}' is {ColumnTypes.Describe(found)}, but {typeof(TSource).Name} expects {ColumnTypes.Describe(column.ColumnType)}");
            }
        }

        return base.Validate(mlContext, input);
    }

    public override string ToString() => $"{Name}({_mappingName}: {string.Join(", ", InputColumns)} -> {string.Join(", ", OutputColumns)})";
}
