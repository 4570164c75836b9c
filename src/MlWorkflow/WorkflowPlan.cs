using Microsoft.ML;
using MlWorkflow.Features;

namespace MlWorkflow;

/// <summary>A workflow checked against a schema: the estimators to fit, in order.</summary>
/// <param name="LabelPreparation">Label steps and the label's conversion to the trainer's type; fitted on all the data.</param>
/// <param name="Features">The feature steps, ending in the <c>Features</c> vector.</param>
/// <param name="Trainer">The trainer.</param>
/// <param name="PostProcessing">Maps a predicted key back to the label's values (multiclass), or null.</param>
/// <param name="FeatureSteps">The feature steps as resolved (automatic concatenation and normalisation included).</param>
/// <param name="SignatureInputColumns">The input columns the scoring model reads.</param>
internal sealed record WorkflowPlan(
    IEstimator<ITransformer> LabelPreparation,
    IEstimator<ITransformer> Features,
    IEstimator<ITransformer> Trainer,
    IEstimator<ITransformer>? PostProcessing,
    IReadOnlyList<FeatureStep> FeatureSteps,
    IReadOnlyList<string> SignatureInputColumns);
