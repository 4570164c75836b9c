using MlWorkflow.Training;

namespace MlWorkflow.AutoMl;

/// <summary>What a tuner asks to try next: a trainer and the values of its searchable hyperparameters.</summary>
/// <param name="Space">The trainer's search space.</param>
/// <param name="Point">The point in the unit cube, or null for the trainer's cheap start.</param>
/// <param name="Values">The hyperparameter values to create the trainer with.</param>
internal sealed record TrialProposal(SearchSpace Space, double[] Point, IReadOnlyDictionary<string, object?> Values)
{
    public TrainerDescriptor Trainer => Space.Trainer;
}
