using Microsoft.ML;
using MlWorkflow.Data;
using MlWorkflow.Features;
using MlWorkflow.Splitting;
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

    /// <summary>Whether a random split or cross-validation keeps each class's share of rows on both sides.</summary>
    public bool Stratify { get; init; }

    /// <summary>The column whose values keep their rows together on one side of a split or fold, or null.</summary>
    public string? GroupColumn { get; init; }

    /// <summary>The split by a column's values (<c>SplitBy</c>), or null.</summary>
    public ColumnSplit? SplitColumn { get; init; }

    /// <summary>The explicit test data (<c>TestOn</c>), or null.</summary>
    public IDataView? TestData { get; init; }

    /// <summary>The explicit test data source (<c>TestOn</c>), or null.</summary>
    public IDataSource? TestSource { get; init; }

    /// <summary>Whether cross-validation ends with a fit on all the data.</summary>
    public bool Refit { get; init; } = true;

    /// <summary>The run's time limit, or null for none.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>The call that chooses the test rows, for error messages: <c>Split</c>, <c>SplitBy</c>, <c>TestOn</c>, <c>CrossValidate</c>, or null.</summary>
    public string? TestScheme => TestFraction is not null ? "Split" : Folds is not null ? "CrossValidate" : SplitColumn is not null ? "SplitBy" : TestData is not null || TestSource is not null ? "TestOn" : null;

    public TrainerSpec? Trainer { get; init; }

    public EvaluationSettings? Evaluation { get; init; }

    /// <summary>One factory per observer: each run creates its own observers, so runs share no observer state.</summary>
    public IReadOnlyList<Func<IWorkflowObserver>> ObserverFactories { get; init; } = [];

    /// <summary>This definition with no test-row choice (no split, folds, column split or test set; refit on).</summary>
    public WorkflowDefinition WithoutTestScheme() => this with
    {
        TestFraction = null,
        Folds = null,
        Stratify = false,
        GroupColumn = null,
        SplitColumn = null,
        TestData = null,
        TestSource = null,
        Refit = true,
    };

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
