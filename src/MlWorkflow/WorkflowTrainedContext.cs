using Microsoft.ML;

namespace MlWorkflow;

/// <summary>What an observer sees once the final model is fitted, before it is evaluated.</summary>
/// <param name="MLContext">The ML.NET context of the run.</param>
/// <param name="Model">The fitted scoring model: features, predictor and any post-processing, from the input schema.</param>
/// <param name="InputSchema">The schema of the data the model takes.</param>
/// <param name="SignatureInputColumns">The input columns the model reads (the MLflow signature's inputs).</param>
/// <param name="Data">The loaded data (for an input example).</param>
public sealed record WorkflowTrainedContext(
    MLContext MLContext,
    ITransformer Model,
    DataViewSchema InputSchema,
    IReadOnlyList<string> SignatureInputColumns,
    IDataView Data);
