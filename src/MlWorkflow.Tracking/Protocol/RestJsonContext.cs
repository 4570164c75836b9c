using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

/// <summary>
/// Source-generated System.Text.Json contracts for MLflow's REST messages: snake_case names, nulls omitted,
/// 64-bit integers written as numbers and read from numbers or decimal strings, and non-finite doubles as the
/// strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>, both ways.
/// Use <c>RestJsonContext.Default.&lt;Message&gt;</c> to read or write a message exactly as MLflow's server and client do.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(EmptyMessage))]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(CreateExperimentBody))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(ExperimentResponse))]
[JsonSerializable(typeof(SearchExperimentsBody))]
[JsonSerializable(typeof(SearchExperimentsResponse))]
[JsonSerializable(typeof(UpdateExperimentBody))]
[JsonSerializable(typeof(ExperimentIdBody))]
[JsonSerializable(typeof(SetExperimentTagBody))]
[JsonSerializable(typeof(CreateRunBody))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(UpdateRunBody))]
[JsonSerializable(typeof(UpdateRunResponse))]
[JsonSerializable(typeof(RunIdBody))]
[JsonSerializable(typeof(SearchRunsBody))]
[JsonSerializable(typeof(SearchRunsResponse))]
[JsonSerializable(typeof(LogBatchBody))]
[JsonSerializable(typeof(LogMetricBody))]
[JsonSerializable(typeof(RunKeyValueBody))]
[JsonSerializable(typeof(LogInputsBody))]
[JsonSerializable(typeof(LogModelBody))]
[JsonSerializable(typeof(MetricHistoryResponse))]
[JsonSerializable(typeof(ListArtifactsResponse))]
[JsonSerializable(typeof(CreateRegisteredModelBody))]
[JsonSerializable(typeof(RegisteredModelResponse))]
[JsonSerializable(typeof(RenameRegisteredModelBody))]
[JsonSerializable(typeof(RegisteredModelBody))]
[JsonSerializable(typeof(SearchRegisteredModelsResponse))]
[JsonSerializable(typeof(RegisteredModelTagBody))]
[JsonSerializable(typeof(RegisteredModelAliasBody))]
[JsonSerializable(typeof(GetLatestVersionsBody))]
[JsonSerializable(typeof(ModelVersionsResponse))]
[JsonSerializable(typeof(CreateModelVersionBody))]
[JsonSerializable(typeof(ModelVersionResponse))]
[JsonSerializable(typeof(ModelVersionBody))]
[JsonSerializable(typeof(SearchModelVersionsResponse))]
[JsonSerializable(typeof(TransitionModelVersionStageBody))]
[JsonSerializable(typeof(ModelVersionTagBody))]
[JsonSerializable(typeof(ModelVersionDownloadUriResponse))]
public sealed partial class RestJsonContext : JsonSerializerContext
{
}
