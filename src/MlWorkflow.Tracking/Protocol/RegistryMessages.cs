using System.Text.Json.Serialization;

namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's ModelRegistryService messages (shared/docs/mlflow-protocol.md 1.4 and 1.6).
// A version is a decimal string on the wire; ProtoEnumJsonConverter also reads a number, as protobuf's parser does.

/// <summary>A <c>RegisteredModel</c> message.</summary>
internal sealed class RegisteredModelMessage
{
    public string? Name { get; set; }

    public long? CreationTimestamp { get; set; }

    public long? LastUpdatedTimestamp { get; set; }

    public string? UserId { get; set; }

    public string? Description { get; set; }

    public List<ModelVersionMessage>? LatestVersions { get; set; }

    public List<KeyValueMessage>? Tags { get; set; }

    public List<RegisteredModelAliasMessage>? Aliases { get; set; }
}

/// <summary>A <c>RegisteredModelAlias</c> message: <c>{"alias": "champion", "version": "3"}</c>.</summary>
internal sealed class RegisteredModelAliasMessage
{
    public string? Alias { get; set; }

    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Version { get; set; }
}

/// <summary>A <c>ModelVersion</c> message; <c>current_stage</c> is the word <c>None</c>, <c>Staging</c>, <c>Production</c> or <c>Archived</c>.</summary>
internal sealed class ModelVersionMessage
{
    public string? Name { get; set; }

    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Version { get; set; }

    public long? CreationTimestamp { get; set; }

    public long? LastUpdatedTimestamp { get; set; }

    public string? UserId { get; set; }

    public string? CurrentStage { get; set; }

    public string? Description { get; set; }

    public string? Source { get; set; }

    public string? RunId { get; set; }

    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Status { get; set; }

    public string? StatusMessage { get; set; }

    public List<KeyValueMessage>? Tags { get; set; }

    public string? RunLink { get; set; }

    public List<string>? Aliases { get; set; }
}

/// <summary>The body of <c>registered-models/create</c>.</summary>
internal sealed class CreateRegisteredModelBody
{
    public string? Name { get; set; }

    public List<KeyValueMessage>? Tags { get; set; }

    public string? Description { get; set; }
}

/// <summary>The answer of <c>registered-models/create</c>, <c>get</c>, <c>rename</c> and <c>update</c>.</summary>
internal sealed class RegisteredModelResponse
{
    public RegisteredModelMessage? RegisteredModel { get; set; }
}

/// <summary>The body of <c>registered-models/rename</c>.</summary>
internal sealed class RenameRegisteredModelBody
{
    public string? Name { get; set; }

    public string? NewName { get; set; }
}

/// <summary>The body of <c>registered-models/update</c> (PATCH) and <c>registered-models/delete</c> (DELETE).</summary>
internal sealed class RegisteredModelBody
{
    public string? Name { get; set; }

    public string? Description { get; set; }
}

/// <summary>The answer of <c>registered-models/search</c>.</summary>
internal sealed class SearchRegisteredModelsResponse
{
    public List<RegisteredModelMessage>? RegisteredModels { get; set; }

    public string? NextPageToken { get; set; }
}

/// <summary>The body of <c>registered-models/set-tag</c> and <c>delete-tag</c>.</summary>
internal sealed class RegisteredModelTagBody
{
    public string? Name { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }
}

/// <summary>The body of <c>registered-models/alias</c> (POST sets, DELETE deletes).</summary>
internal sealed class RegisteredModelAliasBody
{
    public string? Name { get; set; }

    public string? Alias { get; set; }

    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Version { get; set; }
}

/// <summary>The body of <c>registered-models/get-latest-versions</c>.</summary>
internal sealed class GetLatestVersionsBody
{
    public string? Name { get; set; }

    public List<string>? Stages { get; set; }
}

/// <summary>The answer of <c>get-latest-versions</c>.</summary>
internal sealed class ModelVersionsResponse
{
    public List<ModelVersionMessage>? ModelVersions { get; set; }
}

/// <summary>The body of <c>model-versions/create</c>.</summary>
internal sealed class CreateModelVersionBody
{
    public string? Name { get; set; }

    public string? Source { get; set; }

    public string? RunId { get; set; }

    public List<KeyValueMessage>? Tags { get; set; }

    public string? RunLink { get; set; }

    public string? Description { get; set; }
}

/// <summary>The answer of <c>model-versions/create</c>, <c>get</c>, <c>update</c>, <c>transition-stage</c> and <c>registered-models/alias</c> (GET).</summary>
internal sealed class ModelVersionResponse
{
    public ModelVersionMessage? ModelVersion { get; set; }
}

/// <summary>The body of <c>model-versions/update</c> (PATCH) and <c>model-versions/delete</c> (DELETE).</summary>
internal sealed class ModelVersionBody
{
    public string? Name { get; set; }

    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Version { get; set; }

    public string? Description { get; set; }
}

/// <summary>The answer of <c>model-versions/search</c>.</summary>
internal sealed class SearchModelVersionsResponse
{
    public List<ModelVersionMessage>? ModelVersions { get; set; }

    public string? NextPageToken { get; set; }
}

/// <summary>The body of <c>model-versions/transition-stage</c>.</summary>
internal sealed class TransitionModelVersionStageBody
{
    public string? Name { get; set; }

    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Version { get; set; }

    public string? Stage { get; set; }

    public bool? ArchiveExistingVersions { get; set; }
}

/// <summary>The body of <c>model-versions/set-tag</c> and <c>delete-tag</c>.</summary>
internal sealed class ModelVersionTagBody
{
    public string? Name { get; set; }

    [JsonConverter(typeof(ProtoEnumJsonConverter))]
    public string? Version { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }
}

/// <summary>The answer of <c>model-versions/get-download-uri</c>.</summary>
internal sealed class ModelVersionDownloadUriResponse
{
    public string? ArtifactUri { get; set; }
}
