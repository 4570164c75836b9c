namespace MlWorkflow.Tracking.Protocol;

// A message of MLflow's model registry endpoints (https://mlflow.org/docs/latest/rest-api.html).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>The answer of <c>registered-models/search</c>.</summary>
public sealed class SearchRegisteredModelsResponse
{
    /// <summary>The <c>registered_models</c> field.</summary>
    public List<RegisteredModelMessage>? RegisteredModels { get; set; }

    /// <summary>The <c>next_page_token</c> field.</summary>
    public string? NextPageToken { get; set; }
}
