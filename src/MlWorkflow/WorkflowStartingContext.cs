using Microsoft.ML;
using MlWorkflow.Data;
using MlWorkflow.Training;

namespace MlWorkflow;

/// <summary>What an <see cref="IWorkflowObserver"/> learns before training.</summary>
/// <param name="Params">The workflow's params (<see cref="Workflow.GetParams"/>), resolved against the data.</param>
/// <param name="MLContext">The ML.NET context.</param>
/// <param name="Data">The loaded data.</param>
/// <param name="DataSource">The data source, when the workflow was loaded from one (to describe the data set), else null.</param>
/// <param name="Task">The learning task.</param>
/// <param name="LabelColumn">The label column.</param>
/// <param name="Seed">The seed.</param>
public sealed record WorkflowStartingContext(
    IReadOnlyDictionary<string, string> Params,
    MLContext MLContext,
    IDataView Data,
    IDataSource? DataSource,
    LearningTask Task,
    string LabelColumn,
    int Seed);
