using MlWorkflow.Training;

namespace MlWorkflow.AutoMl;

/// <summary>
/// A trainer's searchable hyperparameters as the unit cube: every dimension in [0, 1] (log-scaled where the catalog says
/// so; booleans and categoricals by equal slices), so that one step size means the same on every dimension.
/// </summary>
internal sealed class SearchSpace
{
    // Hyperparameters that make a trial slower as they grow: a cost-frugal search starts them at the low end.
    private static readonly HashSet<string> CostDimensions = new(StringComparer.Ordinal) { "trees", "iterations", "leaves" };

    public SearchSpace(TrainerDescriptor trainer)
    {
        Trainer = trainer;
        Dimensions = trainer.Hyperparameters.Where(h => h.IsSearchable && Choices(h) is not 1).ToArray();
    }

    public TrainerDescriptor Trainer { get; }

    public IReadOnlyList<HyperparameterDescriptor> Dimensions { get; }

    public int Count => Dimensions.Count;

    /// <summary>The cheap starting point: cost dimensions at the low end of their range, the others at the catalog's default.</summary>
    public (double[] Point, Dictionary<string, object?> Values) LowCostStart()
    {
        var point = new double[Count];
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < Count; i++)
        {
            var h = Dimensions[i];
            if (CostDimensions.Contains(h.Name))
            {
                point[i] = 0;
                values[h.Name] = Value(h, 0);
            }
            else
            {
                point[i] = h.Default is { } d ? Coordinate(h, d) : 0.5;
            }
        }

        return (point, values);
    }

    /// <summary>The catalog's defaults (documented as strong per task): every dimension at its default, ML.NET's choice where it has none.</summary>
    public (double[] Point, Dictionary<string, object?> Values) Defaults()
    {
        var point = new double[Count];
        for (var i = 0; i < Count; i++)
        {
            point[i] = Dimensions[i].Default is { } d ? Coordinate(Dimensions[i], d) : 0.5;
        }

        return (point, new Dictionary<string, object?>(StringComparer.Ordinal));
    }

    /// <summary>The hyperparameter values of a point (every searchable one set).</summary>
    public Dictionary<string, object?> Values(double[] point)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < Count; i++)
        {
            values[Dimensions[i].Name] = Value(Dimensions[i], Math.Clamp(point[i], 0, 1));
        }

        return values;
    }

    public double[] RandomPoint(Random random)
    {
        var point = new double[Count];
        for (var i = 0; i < Count; i++)
        {
            point[i] = random.NextDouble();
        }

        return point;
    }

    private static int? Choices(HyperparameterDescriptor h) => h.Kind switch
    {
        HyperparameterKind.Boolean => 2,
        HyperparameterKind.Categorical => h.Choices.Count,
        _ => null,
    };

    private static object Value(HyperparameterDescriptor h, double x)
    {
        switch (h.Kind)
        {
            case HyperparameterKind.Boolean:
                return x >= 0.5;
            case HyperparameterKind.Categorical:
                return h.Choices[Math.Min(h.Choices.Count - 1, (int)(x * h.Choices.Count))];
        }

        var low = h.SearchMinimum!.Value;
        var high = h.SearchMaximum!.Value;
        var value = h.IsLogScale ? Math.Exp(Math.Log(low) + (x * (Math.Log(high) - Math.Log(low)))) : low + (x * (high - low));
        value = Math.Clamp(value, low, high);
        return h.Kind == HyperparameterKind.Integer ? (int)Math.Round(value) : value;
    }

    private static double Coordinate(HyperparameterDescriptor h, object value)
    {
        switch (h.Kind)
        {
            case HyperparameterKind.Boolean:
                return value is true ? 0.75 : 0.25;
            case HyperparameterKind.Categorical:
                var index = h.Choices.ToList().IndexOf((string)value);
                return (Math.Max(0, index) + 0.5) / h.Choices.Count;
        }

        var low = h.SearchMinimum!.Value;
        var high = h.SearchMaximum!.Value;
        var v = Math.Clamp(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), low, high);
        if (high <= low)
        {
            return 0.5;
        }

        return h.IsLogScale ? (Math.Log(v) - Math.Log(low)) / (Math.Log(high) - Math.Log(low)) : (v - low) / (high - low);
    }
}
