using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MlWorkflow.Evaluation;

/// <summary>
/// A multiclass model's classes: the label values in the order of its keys and of its <c>Score</c> vector (the class
/// probabilities). A workflow sorts them by value, as scikit-learn's <c>classes_</c>: <c>Score[k]</c> is the probability of
/// <see cref="Classes"/><c>[k]</c>, for text and numeric labels alike. Read it from a fitted model with <see cref="FromModel"/>
/// (or <c>WorkflowResult.LabelMapping</c>, <c>MlnetModel.LabelMapping</c>); <see cref="ModelEvaluator"/> uses it to evaluate
/// new data, whose label values it maps to the model's keys.
/// </summary>
public sealed class LabelMapping
{
    private LabelMapping(DataViewType valueType, IReadOnlyList<object> classes)
    {
        ValueType = valueType;
        Classes = classes;
        ClassNames = classes.Select(Name).ToArray();
    }

    /// <summary>The type of the label's values (for example Text, Single or Int32).</summary>
    public DataViewType ValueType { get; }

    /// <summary>The classes in key order: key <c>k + 1</c>, and slot <c>k</c> of <c>Score</c>, is <c>Classes[k]</c>. Values are string, float, double, int, long, uint or bool.</summary>
    public IReadOnlyList<object> Classes { get; }

    /// <summary>The classes as invariant text (the per-class metric names use them), in the same order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// Reads the classes of a fitted multiclass model from its output schema (the score column's training label values or
    /// slot names, or the predicted label's key values).
    /// </summary>
    /// <param name="model">The fitted model (a workflow's scoring model, or a loaded one).</param>
    /// <param name="inputSchema">The schema of the data the model takes.</param>
    /// <returns>The mapping, or null when the model is not a multiclass classifier (its <c>Score</c> is not a vector).</returns>
    public static LabelMapping? FromModel(ITransformer model, DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        DataViewSchema output;
        try
        {
            output = model.GetOutputSchema(inputSchema);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            return null;
        }

        if (output.GetColumnOrNull("Score") is not { Type: VectorDataViewType { Size: > 0 } scoreType } score)
        {
            return null;
        }

        return Read(score, "TrainingLabelValues", scoreType.Size)
            ?? Read(score, "SlotNames", scoreType.Size)
            ?? (output.GetColumnOrNull("PredictedLabel") is { Type: KeyDataViewType } predicted ? Read(predicted, "KeyValues", scoreType.Size) : null);
    }

    /// <summary>Maps a column of label values to the model's keys (values it does not know become missing keys).</summary>
    internal IEstimator<ITransformer> ToKey(MLContext ml, string column) =>
        ml.Transforms.Conversion.MapValueToKey(column, column, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence, keyData: KeyData(ml));

    private IDataView KeyData(MLContext ml) => Classes[0] switch
    {
        string => Load(ml, Classes.Cast<string>()),
        float => Load(ml, Classes.Cast<float>()),
        double => Load(ml, Classes.Cast<double>()),
        int => Load(ml, Classes.Cast<int>()),
        long => Load(ml, Classes.Cast<long>()),
        uint => Load(ml, Classes.Cast<uint>()),
        _ => Load(ml, Classes.Cast<bool>()),
    };

    private static IDataView Load<T>(MLContext ml, IEnumerable<T> values) =>
        ml.Data.LoadFromEnumerable(values.Select(v => new KeyRow<T> { Value = v }).ToList());

    private static LabelMapping? Read(DataViewSchema.Column column, string kind, int size)
    {
        if (column.Annotations.Schema.GetColumnOrNull(kind) is not { Type: VectorDataViewType vector } || vector.Size != size)
        {
            return null;
        }

        var item = vector.ItemType;
        object[]? values = item switch
        {
            TextDataViewType => Values<ReadOnlyMemory<char>>(column, kind, v => v.ToString()),
            BooleanDataViewType => Values<bool>(column, kind, v => v),
            _ when item == NumberDataViewType.Single => Values<float>(column, kind, v => v),
            _ when item == NumberDataViewType.Double => Values<double>(column, kind, v => v),
            _ when item == NumberDataViewType.Int32 => Values<int>(column, kind, v => v),
            _ when item == NumberDataViewType.Int64 => Values<long>(column, kind, v => v),
            _ when item == NumberDataViewType.UInt32 => Values<uint>(column, kind, v => v),
            _ => null,
        };
        return values is null ? null : new LabelMapping(item, values);
    }

    private static object[] Values<T>(DataViewSchema.Column column, string kind, Func<T, object> box)
    {
        var buffer = default(VBuffer<T>);
        column.Annotations.GetValue(kind, ref buffer);
        return buffer.DenseValues().Select(box).ToArray();
    }

    private static string Name(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private sealed class KeyRow<T>
    {
        public T Value { get; set; } = default!;
    }
}
