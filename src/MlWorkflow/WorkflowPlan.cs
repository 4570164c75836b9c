using Microsoft.ML;
using MlWorkflow.Features;

namespace MlWorkflow;

/// <summary>A workflow checked against a schema: the estimators to fit, in order.</summary>
/// <param name="LabelSteps">The feature steps that write the label (for example <c>log1p(sales -&gt; log_sales)</c>); fitted on all the data.</param>
/// <param name="LabelConversion">The label's conversion to the trainer's type, or null when none is needed.</param>
/// <param name="Features">The feature steps, ending in the <c>Features</c> vector.</param>
/// <param name="Trainer">The trainer.</param>
/// <param name="PostProcessing">Maps a predicted key back to the label's values (multiclass), or null.</param>
/// <param name="FeatureSteps">The feature steps as resolved (automatic concatenation and normalisation included).</param>
/// <param name="SignatureInputColumns">The input columns the scoring model reads, in the data's order.</param>
/// <param name="LabelInputColumns">The data's columns the label is computed from (the label itself when no step writes it).</param>
/// <param name="TrainerContext">The ML.NET context the trainer was created in: the run's, or one seeded with the trainer's own seed.</param>
internal sealed record WorkflowPlan(
    IEstimator<ITransformer> LabelSteps,
    IEstimator<ITransformer>? LabelConversion,
    IEstimator<ITransformer> Features,
    IEstimator<ITransformer> Trainer,
    IEstimator<ITransformer>? PostProcessing,
    IReadOnlyList<FeatureStep> FeatureSteps,
    IReadOnlyList<string> SignatureInputColumns,
    IReadOnlyList<string> LabelInputColumns,
    MLContext TrainerContext)
{
    /// <summary>The schema the scoring model takes: exactly <see cref="SignatureInputColumns"/>, typed as in <paramref name="dataSchema"/>.</summary>
    public DataViewSchema ModelInputSchema(DataViewSchema dataSchema)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var name in SignatureInputColumns)
        {
            var column = dataSchema[name];
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }

        return builder.ToSchema();
    }
}
