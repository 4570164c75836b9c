using Microsoft.ML;
using MlWorkflow.Data;
using MlWorkflow.Features;
using MlWorkflow.Training;

namespace MlWorkflow;

/// <summary>What a <see cref="Workflow"/> was told, as an immutable value: the planner and the executor read it.</summary>
internal sealed record WorkflowDefinition(int Seed, MLContext? MLContext, TimeProvider TimeProvider, WorkflowOptions Options)
{
    public IDataView? Data { get; init; }

    public IDataSource? Source { get; init; }

    public IReadOnlyList<FeatureStep> Steps { get; init; } = [];

    public string? Label { get; init; }

    public double? TestFraction { get; init; }

    public int? Folds { get; init; }

    public TrainerSpec? Trainer { get; init; }

    public EvaluationSettings? Evaluation { get; init; }

    /// <summary>One factory per observer: each run creates its own observers, so runs share no observer state.</summary>
    public IReadOnlyList<Func<IWorkflowObserver>> ObserverFactories { get; init; } = [];

    /// <summary>The context a run uses: the caller's, or a new one seeded with <see cref="Seed"/> per run.</summary>
    public MLContext CreateRunContext() => MLContext ?? new MLContext(Seed);

    /// <summary>Throws when a part the run needs is missing.</summary>
    public void CheckComplete(bool dataKnown)
    {
        if (!dataKnown && Data is null && Source is null)
        {
            throw new WorkflowValidationException("Load", string.Empty, "no data: call Load(...) with a data source or an IDataView.");
        }

        if (Label is null)
        {
            throw new WorkflowValidationException("Label", string.Empty, "no label column: call Label(\"column\").");
        }

        if (Trainer is null)
        {
            throw new WorkflowValidationException("Train", string.Empty, "no trainer: call Train(Trainers.<task>.<trainer>(...)).");
        }
    }
}
