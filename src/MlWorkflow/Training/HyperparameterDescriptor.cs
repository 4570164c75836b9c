using System.Globalization;

namespace MlWorkflow.Training;

/// <summary>
/// One hyperparameter of a trainer: its logged name, its type, the values it accepts, the range a tuner
/// should search, its default and whether to search it on a log scale. Every trainer of <see cref="Trainers"/>
/// lists its own in <see cref="TrainerDescriptor.Hyperparameters"/>; the params logged for a run use the same names.
/// </summary>
/// <remarks>
/// A value of null means "let ML.NET choose" and is accepted only where <see cref="AllowsAuto"/> is true;
/// it is logged as <c>auto</c>, and the text <c>auto</c> is read back as null.
/// </remarks>
public sealed class HyperparameterDescriptor
{
    /// <summary>How a null (ML.NET chooses) value is logged.</summary>
    internal const string Auto = "auto";

    private HyperparameterDescriptor(
        string name,
        HyperparameterKind kind,
        string description,
        object? defaultValue,
        bool allowsAuto,
        double? minimum,
        double? maximum,
        bool isMinimumExclusive,
        double? searchMinimum,
        double? searchMaximum,
        bool isLogScale,
        IReadOnlyList<string> choices,
        bool isSearchable)
    {
        Name = name;
        Kind = kind;
        Description = description;
        AllowsAuto = allowsAuto;
        Minimum = minimum;
        Maximum = maximum;
        IsMinimumExclusive = isMinimumExclusive;
        SearchMinimum = searchMinimum;
        SearchMaximum = searchMaximum;
        IsLogScale = isLogScale;
        Choices = choices;
        IsSearchable = isSearchable;
        Default = defaultValue is null ? null : Validate(defaultValue);
    }

    /// <summary>The name, in snake case, as logged to MLflow (for example <c>min_examples_per_leaf</c>).</summary>
    public string Name { get; }

    /// <summary>The type of the values.</summary>
    public HyperparameterKind Kind { get; }

    /// <summary>What the hyperparameter does, in one sentence.</summary>
    public string Description { get; }

    /// <summary>
    /// The value used when none is given: an <see cref="int"/>, <see cref="double"/>, <see cref="bool"/> or
    /// <see cref="string"/> by <see cref="Kind"/>, or null when ML.NET chooses (see <see cref="AllowsAuto"/>).
    /// </summary>
    public object? Default { get; }

    /// <summary>Whether null is accepted, meaning that ML.NET chooses the value (logged as <c>auto</c>).</summary>
    public bool AllowsAuto { get; }

    /// <summary>The smallest accepted value of a numeric hyperparameter (see <see cref="IsMinimumExclusive"/>), or null for other kinds.</summary>
    public double? Minimum { get; }

    /// <summary>The largest accepted value (inclusive) of a numeric hyperparameter, or null for other kinds.</summary>
    public double? Maximum { get; }

    /// <summary>Whether <see cref="Minimum"/> itself is refused (as for a learning rate, which must be more than 0).</summary>
    public bool IsMinimumExclusive { get; }

    /// <summary>The lower end of the range a tuner should search (inclusive), or null when the hyperparameter is not searched.</summary>
    public double? SearchMinimum { get; }

    /// <summary>The upper end of the range a tuner should search (inclusive), or null when the hyperparameter is not searched.</summary>
    public double? SearchMaximum { get; }

    /// <summary>Whether a tuner should sample the search range on a log scale (for values that matter by their order of magnitude).</summary>
    public bool IsLogScale { get; }

    /// <summary>The accepted names of a <see cref="HyperparameterKind.Categorical"/> hyperparameter; empty for other kinds.</summary>
    public IReadOnlyList<string> Choices { get; }

    /// <summary>
    /// Whether a tuner should search this hyperparameter: a numeric one with a search range, or a boolean or
    /// categorical one marked searchable. Settings such as the thread count are described but not searched.
    /// </summary>
    public bool IsSearchable { get; }

    /// <summary>The type of the values: <see cref="int"/>, <see cref="double"/>, <see cref="bool"/> or <see cref="string"/>.</summary>
    public Type ValueType => Kind switch
    {
        HyperparameterKind.Integer => typeof(int),
        HyperparameterKind.Real => typeof(double),
        HyperparameterKind.Boolean => typeof(bool),
        _ => typeof(string),
    };

    /// <summary>Describes a whole-number hyperparameter.</summary>
    /// <param name="name">The logged name, in snake case.</param>
    /// <param name="description">What it does, in one sentence.</param>
    /// <param name="minimum">The smallest accepted value.</param>
    /// <param name="maximum">The largest accepted value. The default value is <see cref="int.MaxValue"/>.</param>
    /// <param name="searchMinimum">The lower end of the search range; null (the default) when it is not searched.</param>
    /// <param name="searchMaximum">The upper end of the search range; null (the default) when it is not searched.</param>
    /// <param name="logScale">Whether to search on a log scale (the search range must then be above 0). The default value is false.</param>
    /// <param name="defaultValue">The default; null (the default) when ML.NET chooses or a value must be given.</param>
    /// <param name="allowsAuto">Whether null (ML.NET chooses) is accepted. The default value is false.</param>
    /// <returns>The descriptor.</returns>
    public static HyperparameterDescriptor Integer(
        string name,
        string description,
        int minimum,
        int maximum = int.MaxValue,
        int? searchMinimum = null,
        int? searchMaximum = null,
        bool logScale = false,
        int? defaultValue = null,
        bool allowsAuto = false) =>
        Numeric(name, HyperparameterKind.Integer, description, minimum, maximum, false, searchMinimum, searchMaximum, logScale, defaultValue, allowsAuto);

    /// <summary>Describes a real-number hyperparameter.</summary>
    /// <param name="name">The logged name, in snake case.</param>
    /// <param name="description">What it does, in one sentence.</param>
    /// <param name="minimum">The smallest accepted value (see <paramref name="minimumExclusive"/>).</param>
    /// <param name="maximum">The largest accepted value. The default value is <see cref="double.MaxValue"/>.</param>
    /// <param name="minimumExclusive">Whether <paramref name="minimum"/> itself is refused. The default value is false.</param>
    /// <param name="searchMinimum">The lower end of the search range; null (the default) when it is not searched.</param>
    /// <param name="searchMaximum">The upper end of the search range; null (the default) when it is not searched.</param>
    /// <param name="logScale">Whether to search on a log scale (the search range must then be above 0). The default value is false.</param>
    /// <param name="defaultValue">The default; null (the default) when ML.NET chooses or a value must be given.</param>
    /// <param name="allowsAuto">Whether null (ML.NET chooses) is accepted. The default value is false.</param>
    /// <returns>The descriptor.</returns>
    public static HyperparameterDescriptor Real(
        string name,
        string description,
        double minimum,
        double maximum = double.MaxValue,
        bool minimumExclusive = false,
        double? searchMinimum = null,
        double? searchMaximum = null,
        bool logScale = false,
        double? defaultValue = null,
        bool allowsAuto = false) =>
        Numeric(name, HyperparameterKind.Real, description, minimum, maximum, minimumExclusive, searchMinimum, searchMaximum, logScale, defaultValue, allowsAuto);

    /// <summary>Describes a true-or-false hyperparameter.</summary>
    /// <param name="name">The logged name, in snake case.</param>
    /// <param name="description">What it does, in one sentence.</param>
    /// <param name="defaultValue">The default; null (the default) when ML.NET chooses or a value must be given.</param>
    /// <param name="searchable">Whether a tuner should try both values. The default value is true.</param>
    /// <param name="allowsAuto">Whether null (ML.NET chooses) is accepted. The default value is false.</param>
    /// <returns>The descriptor.</returns>
    public static HyperparameterDescriptor Boolean(string name, string description, bool? defaultValue = null, bool searchable = true, bool allowsAuto = false)
    {
        CheckName(name, description);
        return new(name, HyperparameterKind.Boolean, description, defaultValue, allowsAuto, null, null, false, null, null, false, [], searchable);
    }

    /// <summary>Describes a hyperparameter that takes one of a fixed set of names.</summary>
    /// <param name="name">The logged name, in snake case.</param>
    /// <param name="description">What it does, in one sentence.</param>
    /// <param name="choices">The accepted names, at least one, compared ordinally.</param>
    /// <param name="defaultValue">The default, one of <paramref name="choices"/>; null (the default) when ML.NET chooses or a value must be given.</param>
    /// <param name="searchable">Whether a tuner should try the choices. The default value is true.</param>
    /// <param name="allowsAuto">Whether null (ML.NET chooses) is accepted. The default value is false.</param>
    /// <returns>The descriptor.</returns>
    public static HyperparameterDescriptor Categorical(
        string name, string description, IEnumerable<string> choices, string? defaultValue = null, bool searchable = true, bool allowsAuto = false)
    {
        CheckName(name, description);
        ArgumentNullException.ThrowIfNull(choices);
        var list = choices.ToArray();
        if (list.Length == 0 || list.Any(string.IsNullOrEmpty) || list.Distinct(StringComparer.Ordinal).Count() != list.Length)
        {
            throw new ArgumentException($"Hyperparameter '{name}': give at least one choice, each non-empty and distinct.", nameof(choices));
        }

        return new(name, HyperparameterKind.Categorical, description, defaultValue, allowsAuto, null, null, false, null, null, false, list, searchable);
    }

    /// <summary>
    /// Checks a value and converts it to <see cref="ValueType"/>: numbers of any numeric type (a whole one for
    /// <see cref="HyperparameterKind.Integer"/>) and their invariant-culture text are accepted, so params read
    /// back from MLflow validate too; null or <c>auto</c> gives null where <see cref="AllowsAuto"/>.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="trainer">The trainer's name, for the message. The default is none.</param>
    /// <returns>The value as <see cref="ValueType"/>, or null for ML.NET's choice.</returns>
    /// <exception cref="ArgumentException">The value has the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The value is out of range.</exception>
    public object? Validate(object? value, string? trainer = null)
    {
        if (value is null || (value is Auto && !Choices.Contains(Auto, StringComparer.Ordinal)))
        {
            return AllowsAuto ? null : throw Invalid(trainer, value, "needs a value (ML.NET cannot choose it)");
        }

        switch (Kind)
        {
            case HyperparameterKind.Integer:
                var number = ToDouble(value, trainer);
                if (number != Math.Floor(number) || number < int.MinValue || number > int.MaxValue)
                {
                    throw Invalid(trainer, value, "must be a whole number");
                }

                CheckRange(number, trainer, value);
                return (int)number;
            case HyperparameterKind.Real:
                var real = ToDouble(value, trainer);
                CheckRange(real, trainer, value);
                return real;
            case HyperparameterKind.Boolean:
                return value switch
                {
                    bool b => b,
                    string s when bool.TryParse(s, out var parsed) => parsed,
                    _ => throw Invalid(trainer, value, "must be true or false"),
                };
            default:
                return value is string choice && Choices.Contains(choice, StringComparer.Ordinal)
                    ? choice
                    : throw Invalid(trainer, value, $"must be one of {string.Join(", ", Choices)}");
        }
    }

    /// <summary>A copy with another default (for a trainer whose default differs from the family's).</summary>
    /// <param name="defaultValue">The default, validated; null when ML.NET chooses or a value must be given.</param>
    /// <returns>The copy.</returns>
    public HyperparameterDescriptor WithDefault(object? defaultValue) =>
        new(Name, Kind, Description, defaultValue, AllowsAuto, Minimum, Maximum, IsMinimumExclusive, SearchMinimum, SearchMaximum, IsLogScale, Choices, IsSearchable);

    /// <summary>A description such as <c>trees: integer in [1, ∞), search [4, 1000] log, default 100</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var text = Kind switch
        {
            HyperparameterKind.Integer or HyperparameterKind.Real =>
                $"{Name}: {Kind.ToString().ToLowerInvariant()} in {(IsMinimumExclusive ? "(" : "[")}{Format(Minimum!)}, {(Unbounded ? "∞)" : $"{Format(Maximum!)}]")}"
                + (SearchMinimum is { } low ? $", search [{Format(low)}, {Format(SearchMaximum!)}]{(IsLogScale ? " log" : string.Empty)}" : string.Empty),
            HyperparameterKind.Boolean => $"{Name}: boolean",
            _ => $"{Name}: one of {string.Join(", ", Choices)}",
        };
        return $"{text}, default {(Default is null ? Auto : Format(Default))}";
    }

    private bool Unbounded => Maximum is int.MaxValue or double.MaxValue;

    internal static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static HyperparameterDescriptor Numeric(
        string name,
        HyperparameterKind kind,
        string description,
        double minimum,
        double maximum,
        bool minimumExclusive,
        double? searchMinimum,
        double? searchMaximum,
        bool logScale,
        double? defaultValue,
        bool allowsAuto)
    {
        CheckName(name, description);
        if (!(minimum <= maximum) || double.IsNaN(minimum))
        {
            throw new ArgumentException($"Hyperparameter '{name}': the minimum {minimum} must not exceed the maximum {maximum}.", nameof(minimum));
        }

        if (searchMinimum.HasValue != searchMaximum.HasValue)
        {
            throw new ArgumentException($"Hyperparameter '{name}': give both ends of the search range, or neither.", nameof(searchMinimum));
        }

        if (searchMinimum is { } low && searchMaximum is { } high)
        {
            var belowMinimum = minimumExclusive ? low <= minimum : low < minimum;
            if (belowMinimum || high > maximum || low > high)
            {
                throw new ArgumentException($"Hyperparameter '{name}': the search range [{low}, {high}] must lie within the accepted range.", nameof(searchMinimum));
            }

            if (logScale && low <= 0)
            {
                throw new ArgumentException($"Hyperparameter '{name}': a log-scale search range must be above 0, got [{low}, {high}].", nameof(logScale));
            }
        }
        else if (logScale)
        {
            throw new ArgumentException($"Hyperparameter '{name}': a log scale needs a search range.", nameof(logScale));
        }

        return new(name, kind, description, defaultValue, allowsAuto, minimum, maximum, minimumExclusive, searchMinimum, searchMaximum, logScale, [], searchMinimum.HasValue);
    }

    private static void CheckName(string name, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
    }

    private double ToDouble(object value, string? trainer) => value switch
    {
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        uint u => u,
        double d => d,
        float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        decimal m => (double)m,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw Invalid(trainer, value, $"must be a number ({Kind.ToString().ToLowerInvariant()})"),
    };

    private void CheckRange(double number, string? trainer, object value)
    {
        var aboveMinimum = IsMinimumExclusive ? number > Minimum : number >= Minimum;
        if (!double.IsFinite(number) || !aboveMinimum || number > Maximum)
        {
            var upper = Unbounded ? string.Empty : $" and at most {Format(Maximum!)}";
            var rule = $"must be {(IsMinimumExclusive ? "more than" : "at least")} {Format(Minimum!)}{upper}";
            // The message quotes the value (shortened); ActualValue would append it again in full.
            throw new ArgumentOutOfRangeException(Name, Message(trainer, rule, value));
        }
    }

    private ArgumentException Invalid(string? trainer, object? value, string rule) => new(Message(trainer, rule, value), Name);

    private string Message(string? trainer, string rule, object? value)
    {
        var shown = value is null ? "null" : Format(value);
        if (shown.Length > 200)
        {
            shown = shown[..200] + "…";
        }

        return $"{(trainer is null ? string.Empty : $"Trainer {trainer}: ")}hyperparameter '{Name}' {rule}, got {shown}.";
    }
}
