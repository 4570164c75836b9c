namespace MlWorkflow.Training;

/// <summary>
/// The catalog of trainers, by task: <c>Trainers.Regression.FastForest(trees: 100)</c>,
/// <c>Trainers.BinaryClassification.LightGbm()</c>, <c>Trainers.MulticlassClassification.SdcaMaximumEntropy()</c>.
/// Hyperparameters are checked when the spec is created (an <see cref="ArgumentOutOfRangeException"/> names the bad one).
/// </summary>
public static partial class Trainers
{
    private static Dictionary<string, object> Parameters(params (string Name, object? Value)[] values)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            result[name] = value ?? "auto";
        }

        return result;
    }

    private static float? AsSingle(double? value) => value is { } v ? (float)v : null;

    private static TOptions WithColumns<TOptions>(TOptions options, string label, string features)
        where TOptions : Microsoft.ML.Trainers.TrainerInputBaseWithLabel
    {
        options.LabelColumnName = label;
        options.FeatureColumnName = features;
        return options;
    }
}
