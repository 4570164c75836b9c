using System.Globalization;
using Microsoft.ML;

namespace MlWorkflow.Training;

/// <summary>
/// What a trainer needs to build its ML.NET estimator: the context, the label and feature columns the workflow
/// prepared, and the trainer's validated hyperparameter values. A custom trainer reads them in its factory.
/// </summary>
public sealed class TrainerContext
{
    private readonly IReadOnlyDictionary<string, object?> _values;

    internal TrainerContext(string trainer, MLContext mlContext, string labelColumn, string featureColumn, IReadOnlyDictionary<string, object?> values, int? seed)
    {
        Seed = seed;
        Trainer = trainer;
        MLContext = mlContext;
        LabelColumn = labelColumn;
        FeatureColumn = featureColumn;
        _values = values;
    }

    /// <summary>The trainer's name.</summary>
    public string Trainer { get; }

    /// <summary>The ML.NET context to create the estimator from.</summary>
    public MLContext MLContext { get; }

    /// <summary>The label column the estimator must learn (for example <c>Label</c>).</summary>
    public string LabelColumn { get; }

    /// <summary>The feature vector column the estimator must read (for example <c>Features</c>).</summary>
    public string FeatureColumn { get; }

    /// <summary>
    /// The seed the spec asks for (<see cref="TrainerSpec.WithSeed"/>), or null; a trainer with a seed option of its own
    /// should set it (<see cref="MLContext"/> is already seeded with it).
    /// </summary>
    public int? Seed { get; }

    /// <summary>
    /// A hyperparameter's value, converted to <typeparamref name="T"/> (for example <c>Get&lt;int&gt;("trees")</c>);
    /// a value ML.NET chooses is null, read it as a nullable type.
    /// </summary>
    /// <typeparam name="T">The type to read the value as.</typeparam>
    /// <param name="name">The hyperparameter's name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The trainer has no such hyperparameter.</exception>
    /// <exception cref="InvalidOperationException">The value is ML.NET's choice (null) and <typeparamref name="T"/> cannot hold null.</exception>
    public T Get<T>(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_values.TryGetValue(name, out var value))
        {
            throw new KeyNotFoundException($"Trainer {Trainer} has no hyperparameter '{name}'; it has: {string.Join(", ", _values.Keys)}.");
        }

        if (value is T typed)
        {
            return typed;
        }

        var target = Nullable.GetUnderlyingType(typeof(T));
        if (value is null)
        {
            return target is not null || !typeof(T).IsValueType
                ? default!
                : throw new InvalidOperationException($"Trainer {Trainer}: hyperparameter '{name}' is left to ML.NET (null); read it as {typeof(T).Name}?.");
        }

        return (T)Convert.ChangeType(value, target ?? typeof(T), CultureInfo.InvariantCulture);
    }
}
