using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace MlWorkflow.Training;

/// <summary>
/// A catalog trainer built on an ML.NET options class: its descriptor (defaults read from the catalog's own
/// options), specs from any options object or from hyperparameter values, and the estimator on a private copy
/// of the options with the workflow's columns set. Every built-in trainer is one of these, and so is LightGBM's in the
/// MlWorkflow.LightGbm package: a trainer package describes its trainers with it and registers
/// <see cref="Descriptor"/> in <see cref="TrainerCatalog"/>.
/// </summary>
/// <typeparam name="TOptions">The ML.NET options class, for example <c>FastForestRegressionTrainer.Options</c>.</typeparam>
public sealed class OptionsTrainer<TOptions>
    where TOptions : TrainerInputBaseWithLabel
{
    private readonly Func<TOptions> _catalogOptions;
    private readonly OptionBinding<TOptions>[] _bindings;
    private readonly Func<MLContext, TOptions, IEstimator<ITransformer>> _fit;
    private readonly Action<TOptions>? _complete;

    /// <summary>Describes a trainer by its ML.NET options class; the descriptor's defaults are read from <paramref name="catalogOptions"/>.</summary>
    /// <param name="name">The trainer's name.</param>
    /// <param name="task">Its task.</param>
    /// <param name="catalogOptions">The options the catalog starts from (ML.NET's, with the catalog's defaults set); the descriptors' defaults are read from them.</param>
    /// <param name="bindings">Its hyperparameters, bound to the options.</param>
    /// <param name="fit">Creates the ML.NET trainer from options.</param>
    /// <param name="needsNormalization">Whether it needs normalised features.</param>
    /// <param name="producesProbability">Whether a binary trainer is calibrated. The default value is true.</param>
    /// <param name="complete">Makes explicit, on the spec's own copy, a setting ML.NET leaves null but trains with a default for. The default is none.</param>
    /// <param name="needsCache">Whether the trainer passes over the rows many times (see <see cref="TrainerDescriptor.NeedsCache"/>). The default value is false.</param>
    public OptionsTrainer(
        string name,
        LearningTask task,
        Func<TOptions> catalogOptions,
        IEnumerable<OptionBinding<TOptions>> bindings,
        Func<MLContext, TOptions, IEstimator<ITransformer>> fit,
        bool needsNormalization,
        bool producesProbability = true,
        Action<TOptions>? complete = null,
        bool needsCache = false)
    {
        _complete = complete;
        _catalogOptions = catalogOptions;
        _bindings = bindings.ToArray();
        _fit = fit;
        var defaults = Completed(catalogOptions());
        Descriptor = new TrainerDescriptor(
            name,
            task,
            _bindings.Select(b => b.Descriptor.WithDefault(b.Get(defaults))),
            needsNormalization,
            producesProbability,
            values => FromOptions(Apply(Completed(_catalogOptions()), values)),
            needsCache);
    }

    /// <summary>The trainer's description for a tuner: its hyperparameters with their ranges and defaults.</summary>
    public TrainerDescriptor Descriptor { get; }

    /// <summary>A spec from named values (the shortcut overloads' arguments); null means ML.NET chooses.</summary>
    /// <param name="values">Hyperparameter names (as in <see cref="Descriptor"/>) and values; the others keep their defaults.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its accepted range.</exception>
    public TrainerSpec Create(params (string Name, object? Value)[] values) =>
        Descriptor.Create(values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    /// <summary>A spec from a user's options object: copied (later changes to it do not reach the spec), described values checked.</summary>
    /// <param name="options">ML.NET's options; the column names are replaced by the workflow's.</param>
    /// <returns>The spec.</returns>
    public TrainerSpec FromOptions(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return FromOwned(Completed(OptionsCopy.Of(options)));
    }

    /// <summary>A spec on a completed copy of options that no one else holds: kept as it is, not copied again.</summary>
    private TrainerSpec FromOwned(TOptions owned)
    {
        var values = _bindings.ToDictionary(b => b.Name, b => b.Descriptor.Validate(b.Get(owned), Descriptor.Name), StringComparer.Ordinal);
        // What the catalog's options with the same hyperparameters would not reproduce (generated code writes only those).
        var undescribed = OptionsDifference.Between(owned, Apply(Completed(_catalogOptions()), values));
        return new TrainerSpec(
            Descriptor,
            values,
            context => _fit(context.MLContext, WithColumns(owned, context)),
            changes => FromOwned(Completed(Apply(OptionsCopy.Of(owned), Descriptor.Resolve(TrainerDescriptor.Merge(values, changes))))),
            undescribed);
    }

    private TOptions Completed(TOptions options)
    {
        _complete?.Invoke(options);
        return options;
    }

    private TOptions Apply(TOptions options, IReadOnlyDictionary<string, object?> values)
    {
        foreach (var binding in _bindings)
        {
            if (values.TryGetValue(binding.Name, out var value))
            {
                binding.Set(options, value);
            }
        }

        return options;
    }

    // The trainer's own Seed option (tree trainers: int, LightGBM: int?), where the options class has one.
    private static readonly System.Reflection.FieldInfo? SeedField = typeof(TOptions).GetField("Seed") is { } seedField
        && (seedField.FieldType == typeof(int) || seedField.FieldType == typeof(int?)) ? seedField : null;

    // A fresh copy per estimator: ML.NET trainers keep their options object, and workflows may run at once.
    private static TOptions WithColumns(TOptions owned, TrainerContext context)
    {
        var options = OptionsCopy.Of(owned);
        options.LabelColumnName = context.LabelColumn;
        options.FeatureColumnName = context.FeatureColumn;
        if (context.Seed is { } seed && SeedField is { } field)
        {
            field.SetValue(options, seed);
        }

        return options;
    }
}
