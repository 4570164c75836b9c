using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Features;

/// <summary>
/// An estimator that converts a whole-number column to Double before a step that reads floating-point values, chosen
/// when the data is seen: a count stored as Int32 (for example once the rows missing it were dropped) then works as the
/// same count read as Double. Double holds every 32-bit integer exactly (64-bit ones up to 2^53).
/// </summary>
internal sealed class WholeNumberWidening : IEstimator<ITransformer>
{
    private readonly MLContext _mlContext;
    private readonly string _input;
    private readonly Func<string, IEstimator<ITransformer>> _step;
    private readonly string _widened;

    /// <param name="mlContext">The context.</param>
    /// <param name="input">The column the step reads.</param>
    /// <param name="widened">The column the Double values are written to when the input is a whole-number column.</param>
    /// <param name="step">The step, given the column to read: <paramref name="input"/>, or <paramref name="widened"/> after the conversion.</param>
    public WholeNumberWidening(MLContext mlContext, string input, string widened, Func<string, IEstimator<ITransformer>> step)
    {
        _mlContext = mlContext;
        _input = input;
        _widened = widened;
        _step = step;
    }

    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(_input);
        var type = column?.Type is VectorDataViewType vector ? vector.ItemType : column?.Type;
        return Chain(type is not null && ColumnTypes.IsWholeNumber(type)).Fit(input);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Chain(inputSchema.TryFindColumn(_input, out var column) && !column.IsKey && ColumnTypes.IsWholeNumber(column.ItemType)).GetOutputSchema(inputSchema);
    }

    private IEstimator<ITransformer> Chain(bool widen) => widen
        ? _mlContext.Transforms.Conversion.ConvertType(_widened, _input, DataKind.Double).Append(_step(_widened))
        : _step(_input);
}
