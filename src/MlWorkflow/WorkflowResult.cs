using System.Diagnostics.CodeAnalysis;
using Microsoft.ML;
using MlWorkflow.Autologging;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Execution;
using MlWorkflow.Models;
using MlWorkflow.Training;

namespace MlWorkflow;

/// <summary>
/// What a workflow run produced: metrics, the fitted ML.NET model and everything needed to log or reuse it.
/// The raw ML.NET objects (<see cref="MLContext"/>, <see cref="Model"/>, <see cref="Data"/>) are all here; where the run
/// was tracked is apart, in <see cref="Tracking"/>. Dispose the result to delete the plots the run wrote to its
/// temporary folder (see <see cref="WorkflowOptions.TemporaryFolder"/>); plots written to a folder you named stay.
/// </summary>
public sealed class WorkflowResult : IDisposable
{
    private WorkflowTimings _timings = null!;
    private TrackedRun? _tracking;
    private ITransformer? _model;

    /// <summary>
    /// The metrics (<see cref="MetricNames"/>): of the test set after a split, <c>&lt;name&gt;_mean</c>/<c>_std</c>
    /// after cross-validation, or <c>training_&lt;name&gt;</c> when the model was evaluated on its training data
    /// (<see cref="MetricSet.Basis"/> says which). The typed shortcuts (<see cref="MetricSet.R2"/>...) read every basis.
    /// </summary>
    public required MetricSet Metrics { get; init; }

    /// <summary>Each fold's metrics under cross-validation; empty otherwise.</summary>
    public IReadOnlyList<MetricSet> FoldMetrics { get; init; } = [];

    /// <summary>
    /// The fitted scoring model: feature steps, trainer and (multiclass) the mapping of the predicted key back to
    /// the label's values. It reads only <see cref="SignatureInputColumns"/> (<see cref="InputSchema"/>); the label is
    /// not needed to predict. Under cross-validation it is fitted on all the data.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run fitted no model (<c>CrossValidate(refit: false)</c>); see <see cref="HasModel"/>.</exception>
    [AllowNull]
    public ITransformer Model
    {
        get => _model ?? throw new InvalidOperationException(
            "This run fitted no model: CrossValidate(refit: false) computes the fold scores only. Cross-validate with refit: true to get a model fitted on all the data.");
        init => _model = value;
    }

    /// <summary>Whether the run fitted a model (<see cref="Model"/>): false only after <c>CrossValidate(refit: false)</c>.</summary>
    public bool HasModel => _model is not null;

    /// <summary>
    /// A multiclass model's classes in the order of its keys and of its <c>Score</c> vector (sorted by value, as
    /// scikit-learn's <c>classes_</c>); null for regression, binary classification, or a run without a model.
    /// </summary>
    public LabelMapping? LabelMapping { get; init; }

    /// <summary>The context everything ran in.</summary>
    public required MLContext MLContext { get; init; }

    /// <summary>The schema the model takes (what it is saved with): exactly the <see cref="SignatureInputColumns"/>.</summary>
    public required DataViewSchema InputSchema { get; init; }

    /// <summary>
    /// The columns a caller must supply to predict: those the feature steps and the concatenation read from the data.
    /// Columns only dropped or left out by a selection are not among them.
    /// </summary>
    public required IReadOnlyList<string> SignatureInputColumns { get; init; }

    /// <summary>The loaded data.</summary>
    public required IDataView Data { get; init; }

    /// <summary>The data source, when the workflow loaded one.</summary>
    public IDataSource? DataSource { get; init; }

    /// <summary>The test set scored by <see cref="Model"/> after a split; null otherwise.</summary>
    public IDataView? TestPredictions { get; init; }

    /// <summary>The PNG plots written (full paths); empty unless asked for.</summary>
    public IReadOnlyList<string> PlotFiles { get; init; } = [];

    /// <summary>Permutation feature importance, most important first; empty unless asked for.</summary>
    public IReadOnlyList<FeatureImportance> FeatureImportance { get; init; } = [];

    /// <summary>The params of the run (<see cref="Workflow.GetParams"/>).</summary>
    public required IReadOnlyDictionary<string, string> Params { get; init; }

    /// <summary>The trainer.</summary>
    public required TrainerSpec Trainer { get; init; }

    /// <summary>The label column.</summary>
    public required string LabelColumn { get; init; }

    /// <summary>How long each stage took.</summary>
    public required WorkflowTimings Timings { get => _timings; init => _timings = value; }

    /// <summary>Where the run was tracked (run id, model URI, registration), or null when the workflow was not tracked.</summary>
    public TrackedRun? Tracking => _tracking;

    /// <summary>The run's own temporary folder (default plots), deleted by <see cref="Dispose"/>; null when it has none.</summary>
    internal string? TemporaryFolder { get; init; }

    /// <summary>A copy of this result that records where the run was tracked (an observer calls it when it logged the run).</summary>
    /// <param name="tracking">The tracked run.</param>
    /// <returns>The copy, sharing everything else (including the temporary folder).</returns>
    public WorkflowResult WithTracking(TrackedRun tracking)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        var copy = (WorkflowResult)MemberwiseClone();
        copy._tracking = tracking;
        return copy;
    }

    internal WorkflowResult WithTimings(WorkflowTimings timings)
    {
        ArgumentNullException.ThrowIfNull(timings);
        var copy = (WorkflowResult)MemberwiseClone();
        copy._timings = timings;
        return copy;
    }

    /// <summary>
    /// Saves <see cref="Model"/> as an MLflow model folder (flavor <c>mlnet</c>) with its signature and the first
    /// rows of <see cref="Data"/> as input example.
    /// </summary>
    /// <param name="folder">The folder to create; it must not exist or be empty.</param>
    /// <param name="runId">The run id to record. The default is none.</param>
    /// <param name="artifactPath">The run-relative artifact path to record (for example <c>model</c>). The default is none.</param>
    /// <returns>The MLmodel metadata written.</returns>
    public MlModelFile SaveModel(string folder, string? runId = null, string? artifactPath = null) =>
        MlnetModel.Save(folder, MLContext, Model, InputSchema, new MlnetModelSaveOptions
        {
            RunId = runId,
            ArtifactPath = artifactPath,
            InputColumns = SignatureInputColumns,
            InputExample = Data,
        });

    /// <summary>Deletes the run's temporary folder (the plots written there); plots in a folder you named stay.</summary>
    public void Dispose() => TemporaryFolders.Delete(TemporaryFolder);
}
