using MlWorkflow.Tracking.Protocol;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Stores.Rest;

/// <summary>Model versions over REST: create, get, update, delete, search, stages, tags, download URI.</summary>
public sealed partial class RestModelRegistryStore
{
    /// <inheritdoc />
    public async Task<ModelVersion> CreateModelVersionAsync(CreateModelVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new CreateModelVersionBody
        {
            Name = request.Name,
            Source = request.Source,
            RunId = request.RunId,
            Tags = request.Tags.Count > 0 ? request.Tags.Select(t => RestMapping.ToMessage(NotNull(t, nameof(request)).Key, t.Value)).ToList() : null,
            RunLink = request.RunLink,
            Description = request.Description,
        };
        var response = await _transport.PostAsync("model-versions/create", body, Json.CreateModelVersionBody, Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return Version(response, "model-versions/create");
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetAsync("model-versions/get", [new("name", name), new("version", Version(version))], Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return Version(response, "model-versions/get");
    }

    /// <inheritdoc />
    public async Task<ModelVersion> UpdateModelVersionAsync(string name, int version, string? description, CancellationToken cancellationToken = default)
    {
        var body = new ModelVersionBody { Name = name, Version = Version(version), Description = description };
        var response = await _transport.SendBodyAsync(HttpMethod.Patch, "model-versions/update", body, Json.ModelVersionBody, Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return Version(response, "model-versions/update");
    }

    /// <inheritdoc />
    public Task DeleteModelVersionAsync(string name, int version, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "model-versions/delete", new ModelVersionBody { Name = name, Version = Version(version) }, Json.ModelVersionBody, cancellationToken);

    /// <inheritdoc />
    public async Task<PagedList<ModelVersion>> SearchModelVersionsAsync(SearchModelVersionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await _transport.GetAsync("model-versions/search", SearchQuery(request.Filter, request.MaxResults, request.OrderBy, request.PageToken), Json.SearchModelVersionsResponse, cancellationToken).ConfigureAwait(false);
        return new PagedList<ModelVersion>((response.ModelVersions ?? []).Select(RegistryMapping.ToEntity).ToArray(), NullIfEmpty(response.NextPageToken));
    }

    /// <inheritdoc />
    public async Task<ModelVersion> TransitionModelVersionStageAsync(string name, int version, ModelVersionStage stage, bool archiveExistingVersions, CancellationToken cancellationToken = default)
    {
        var body = new TransitionModelVersionStageBody { Name = name, Version = Version(version), Stage = stage.ToWireName(), ArchiveExistingVersions = archiveExistingVersions };
        var response = await _transport.PostAsync("model-versions/transition-stage", body, Json.TransitionModelVersionStageBody, Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return Version(response, "model-versions/transition-stage");
    }

    /// <inheritdoc />
    public Task SetModelVersionTagAsync(string name, int version, ModelVersionTag tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return SendAsync(HttpMethod.Post, "model-versions/set-tag", new ModelVersionTagBody { Name = name, Version = Version(version), Key = tag.Key, Value = tag.Value }, Json.ModelVersionTagBody, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteModelVersionTagAsync(string name, int version, string key, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "model-versions/delete-tag", new ModelVersionTagBody { Name = name, Version = Version(version), Key = key }, Json.ModelVersionTagBody, cancellationToken);

    /// <inheritdoc />
    public async Task<string> GetModelVersionDownloadUriAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetAsync("model-versions/get-download-uri", [new("name", name), new("version", Version(version))], Json.ModelVersionDownloadUriResponse, cancellationToken).ConfigureAwait(false);
        return response.ArtifactUri ?? throw Malformed("model-versions/get-download-uri", "artifact_uri");
    }
}
