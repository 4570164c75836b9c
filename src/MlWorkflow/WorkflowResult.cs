using Microsoft.ML;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Models;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Training;

namespace MlWorkflow;

/// <summary>
/// What a workflow run produced: metrics, the fitted ML.NET model and everything needed to log or reuse it.
/// The raw ML.NET objects (<see cref="MLContext"/>, <see cref="Model"/>, <see cref="Data"/>) are all here.
/// </summary>
public sealed record WorkflowResult
{
    /// <summary>
    /// The metrics (<see cref="MetricNames"/>): of the test set after a split, <c>&lt;name&gt;_mean</c>/<c>_std</c>
    /// after cross-validation, or <c>training_&lt;name&gt;</c> when the model was evaluated on its training data.
    /// </summary>
    public required MetricSet Metrics { get; init; }

    /// <summary>Each fold's metrics under cross-validation; empty otherwise.</summary>
    public IReadOnlyList<MetricSet> FoldMetrics { get; init; } = [];

    /// <summary>
    /// The fitted scoring model: feature steps, trainer and (multiclass) the mapping of the predicted key back to
    /// the label's values. It takes rows shaped like <see cref="InputSchema"/>; the label is not needed to predict.
    /// Under cross-validation it is fitted on all the data.
    /// </summary>
    public required ITransformer Model { get; init; }

    /// <summary>The context everything ran in.</summary>
    public required MLContext MLContext { get; init; }

    /// <summary>The schema of the loaded data (what the model is saved with).</summary>
    public required DataViewSchema InputSchema { get; init; }

    /// <summary>The columns a caller must supply to predict: those the feature steps and the concatenation read.</summary>
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
    public required WorkflowTimings Timings { get; init; }

    /// <summary>The tracking run id, when an observer logged the run; else null.</summary>
    public string? RunId { get; init; }

    /// <summary>The logged model's URI (<c>runs:/&lt;id&gt;/model</c>), when an observer logged it; else null.</summary>
    public string? ModelUri { get; init; }

    /// <summary>The tracking client that logged the model (set by <c>Track(...)</c>); it registers the model.</summary>
    public MlflowClient? TrackingClient { get; init; }

    /// <summary>
    /// Registers the logged model (<see cref="ModelUri"/>) as a new version of a registered model, creating the model
    /// when it does not exist yet, as MLflow's <c>register_model</c> does.
    /// </summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version (stage <c>None</c>).</returns>
    /// <exception cref="InvalidOperationException">When the workflow was not tracked, so no model was logged.</exception>
    public Task<ModelVersion> RegisterAsync(string name, CancellationToken cancellationToken = default)
    {
        if (TrackingClient is null || ModelUri is null)
        {
            throw new InvalidOperationException("No model was logged for this result: add .Track(client, experiment) to the workflow (with model logging on) before registering.");
        }

        return TrackingClient.Registry.RegisterModelAsync(ModelUri, name, cancellationToken: cancellationToken);
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
}
