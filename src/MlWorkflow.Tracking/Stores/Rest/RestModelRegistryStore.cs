using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using MlWorkflow.Tracking.Protocol;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Stores.Rest;

/// <summary>
/// A model registry on an MLflow tracking server, through MLflow's REST API 2.0 (<c>/api/2.0/mlflow/registered-models/…</c>
/// and <c>/model-versions/…</c>): MLflow's JSON (versions as decimal strings, stage words), its HTTP methods (GET for reads,
/// PATCH for updates, DELETE with a JSON body), its error codes, and the same authentication, TLS and retry behaviour as
/// <see cref="RestTrackingStore"/>. Works with MLflow's own server and with MlWorkflow's.
/// </summary>
/// <remarks>
/// Writes carry an <c>Idempotency-Key</c> that their retries repeat; MlWorkflow's server answers a replay without applying it
/// again, so a retried <c>model-versions/create</c> whose answer was lost does not create a second version. Against MLflow's
/// own server writes are at least once, as with MLflow's Python client.
/// </remarks>
/// <example>
/// <code>
/// using var tracking = new RestTrackingStore(new Uri("http://127.0.0.1:5000"));
/// var registry = new ModelRegistryClient(new RestModelRegistryStore(tracking), tracking);
/// </code>
/// </example>
public sealed partial class RestModelRegistryStore : IModelRegistryStore, IDisposable
{
    private readonly RestTransport _transport;
    private readonly bool _ownsTransport;

    /// <summary>Creates a registry store on a server.</summary>
    /// <param name="registryUri">The server, such as <c>http://localhost:5000</c> or <c>https://host/prefix</c> (MLflow: the tracking URI unless <c>MLFLOW_REGISTRY_URI</c> says otherwise).</param>
    /// <param name="options">Credentials, TLS, retries and timeouts; null for <see cref="RestStoreOptions.FromEnvironment()"/>.</param>
    /// <param name="httpClient">The client to send with (the caller keeps ownership; TLS options then do not apply); null to create one.</param>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when the URI is not http(s) or the options conflict.</exception>
    public RestModelRegistryStore(Uri registryUri, RestStoreOptions? options = null, HttpClient? httpClient = null)
    {
        _transport = new RestTransport(registryUri, options ?? RestStoreOptions.FromEnvironment(), httpClient);
        _ownsTransport = true;
    }

    /// <summary>Creates a registry store on the server of a tracking store, sharing its HTTP client, credentials and retry settings.</summary>
    /// <param name="trackingStore">The tracking store; it keeps ownership of the HTTP client (dispose it, not this store).</param>
    public RestModelRegistryStore(RestTrackingStore trackingStore)
    {
        ArgumentNullException.ThrowIfNull(trackingStore);
        _transport = trackingStore.Transport;
        _ownsTransport = false;
    }

    /// <summary>The server's base URI (without credentials).</summary>
    public Uri RegistryUri => _transport.BaseUri;

    /// <summary>Releases the HTTP client when this store created it.</summary>
    public void Dispose()
    {
        if (_ownsTransport)
        {
            _transport.Dispose();
        }
    }

    /// <summary>Describes the store: its URI without credentials.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"RestModelRegistryStore({RegistryUri})";

    /// <inheritdoc />
    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, IReadOnlyList<RegisteredModelTag>? tags = null, string? description = null, CancellationToken cancellationToken = default)
    {
        var body = new CreateRegisteredModelBody
        {
            Name = name,
            Tags = tags is { Count: > 0 } ? tags.Select(t => RestMapping.ToMessage(NotNull(t, nameof(tags)).Key, t.Value)).ToList() : null,
            Description = description,
        };
        var response = await _transport.PostAsync("registered-models/create", body, Json.CreateRegisteredModelBody, Json.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return Model(response, "registered-models/create");
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetAsync("registered-models/get", [new("name", name)], Json.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return Model(response, "registered-models/get");
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken = default)
    {
        var body = new RenameRegisteredModelBody { Name = name, NewName = newName };
        var response = await _transport.PostAsync("registered-models/rename", body, Json.RenameRegisteredModelBody, Json.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return Model(response, "registered-models/rename");
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken = default)
    {
        var body = new RegisteredModelBody { Name = name, Description = description };
        var response = await _transport.SendBodyAsync(HttpMethod.Patch, "registered-models/update", body, Json.RegisteredModelBody, Json.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return Model(response, "registered-models/update");
    }

    /// <inheritdoc />
    public Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "registered-models/delete", new RegisteredModelBody { Name = name }, Json.RegisteredModelBody, cancellationToken);

    /// <inheritdoc />
    public async Task<PagedList<RegisteredModel>> SearchRegisteredModelsAsync(SearchRegisteredModelsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await _transport.GetAsync("registered-models/search", SearchQuery(request.Filter, request.MaxResults, request.OrderBy, request.PageToken), Json.SearchRegisteredModelsResponse, cancellationToken).ConfigureAwait(false);
        return new PagedList<RegisteredModel>((response.RegisteredModels ?? []).Select(RegistryMapping.ToEntity).ToArray(), NullIfEmpty(response.NextPageToken));
    }

    /// <inheritdoc />
    public Task SetRegisteredModelTagAsync(string name, RegisteredModelTag tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return SendAsync(HttpMethod.Post, "registered-models/set-tag", new RegisteredModelTagBody { Name = name, Key = tag.Key, Value = tag.Value }, Json.RegisteredModelTagBody, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "registered-models/delete-tag", new RegisteredModelTagBody { Name = name, Key = key }, Json.RegisteredModelTagBody, cancellationToken);

    /// <inheritdoc />
    public Task SetRegisteredModelAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "registered-models/alias", new RegisteredModelAliasBody { Name = name, Alias = alias, Version = ModelVersionNumber.ToWireString(version) }, Json.RegisteredModelAliasBody, cancellationToken);

    /// <inheritdoc />
    public Task DeleteRegisteredModelAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "registered-models/alias", new RegisteredModelAliasBody { Name = name, Alias = alias }, Json.RegisteredModelAliasBody, cancellationToken);

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetAsync("registered-models/alias", [new("name", name), new("alias", alias)], Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return Version(response, "registered-models/alias");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<ModelVersionStage>? stages = null, CancellationToken cancellationToken = default)
    {
        var body = new GetLatestVersionsBody { Name = name, Stages = stages is { Count: > 0 } ? stages.Select(s => s.ToWireName()).ToList() : null };
        var response = await _transport.PostAsync("registered-models/get-latest-versions", body, Json.GetLatestVersionsBody, Json.ModelVersionsResponse, cancellationToken).ConfigureAwait(false);
        var versions = (response.ModelVersions ?? []).Select(RegistryMapping.ToEntity).ToList();

        // MLflow's answer order is not meaningful; this interface promises stage order.
        versions.Sort((a, b) => a.CurrentStage.CompareTo(b.CurrentStage));
        return versions;
    }

    private static RestJsonContext Json => RestJsonContext.Default;

    private static string? NullIfEmpty(string? token) => string.IsNullOrEmpty(token) ? null : token;

    private static T NotNull<T>(T? value, string parameter)
        where T : class => value ?? throw new ArgumentNullException(parameter);

    private static string Version(int version) => ModelVersionNumber.ToWireString(version);

    private static KeyValuePair<string, string?>[] SearchQuery(string? filter, int maxResults, IReadOnlyList<string>? orderBy, string? pageToken) =>
    [
        new("filter", filter),
        new("max_results", maxResults.ToString(CultureInfo.InvariantCulture)),
        .. (orderBy ?? []).Select(o => new KeyValuePair<string, string?>("order_by", o)),
        new("page_token", pageToken),
    ];

    private static MlflowException Malformed(string endpoint, string field) =>
        new(ErrorCode.InternalError, $"The server's answer to {endpoint} has no '{field}'; is the registry URI an MLflow server?");

    private static RegisteredModel Model(RegisteredModelResponse response, string endpoint) =>
        RegistryMapping.ToEntity(response.RegisteredModel ?? throw Malformed(endpoint, "registered_model"));

    private static ModelVersion Version(ModelVersionResponse response, string endpoint) =>
        RegistryMapping.ToEntity(response.ModelVersion ?? throw Malformed(endpoint, "model_version"));

    private async Task SendAsync<TRequest>(HttpMethod method, string endpoint, TRequest body, JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken) =>
        await _transport.SendBodyAsync(method, endpoint, body, requestType, Json.EmptyMessage, cancellationToken).ConfigureAwait(false);
}
