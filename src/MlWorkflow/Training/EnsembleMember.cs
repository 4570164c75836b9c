namespace MlWorkflow.Training;

/// <summary>One trainer of an ensemble (<see cref="Trainers.Ensemble"/>) and the weight of its prediction in the average.</summary>
public sealed class EnsembleMember
{
    internal EnsembleMember(TrainerSpec trainer, double weight)
    {
        Trainer = trainer;
        Weight = weight;
    }

    /// <summary>The member's trainer and hyperparameters.</summary>
    public TrainerSpec Trainer { get; }

    /// <summary>The member's weight in the average: positive, and the weights of an ensemble sum to 1.</summary>
    public double Weight { get; }

    /// <summary>A description such as <c>0.5 × FastTree(trees=100, ...)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Weight.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)} × {Trainer}";
}
