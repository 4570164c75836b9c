using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Protocol;

namespace MlWorkflow.Tracking.Stores.Rest;

/// <summary>
/// A tracking store on an MLflow tracking server, through MLflow's REST API 2.0 (<c>/api/2.0/mlflow/…</c>), with MLflow's
/// JSON, error mapping, authentication and retry behaviour. Works with MLflow's own server and with MlWorkflow's.
/// </summary>
/// <remarks>
/// <para>Retries: connection failures, timeouts and HTTP 408, 429, 500, 502, 503 and 504 are retried with exponential
/// backoff and jitter (see <see cref="RestStoreOptions"/>); 400, 403 and 404 fail at once with the server's error code.</para>
/// <para>Idempotency: every write carries an <c>Idempotency-Key</c> header that its retries repeat. MlWorkflow's server
/// remembers the keys of the requests it applied and answers a replay without applying it again, so a retried
/// <c>log-batch</c> whose answer was lost never doubles metric points. MLflow's own server ignores the header: against it
/// writes are at least once (a retried <c>log-batch</c> may append its metric points twice, as with MLflow's Python client).</para>
/// </remarks>
public sealed partial class RestTrackingStore : ITrackingStore, IDisposable
{
    private readonly RestTransport _transport;

    /// <summary>Creates a store on a tracking server.</summary>
    /// <param name="trackingUri">The server, such as <c>http://localhost:5000</c> or <c>https://host/prefix</c>.</param>
    /// <param name="options">Credentials, TLS, retries and timeouts; null for <see cref="RestStoreOptions.FromEnvironment()"/>.</param>
    /// <param name="httpClient">The client to send with (the caller keeps ownership; TLS options then do not apply); null to create one.</param>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when the URI is not http(s) or the options conflict.</exception>
    public RestTrackingStore(Uri trackingUri, RestStoreOptions? options = null, HttpClient? httpClient = null)
    {
        _transport = new RestTransport(trackingUri, options ?? RestStoreOptions.FromEnvironment(), httpClient);
    }

    /// <summary>The HTTP plumbing, shared with a <see cref="RestModelRegistryStore"/> on the same server.</summary>
    internal RestTransport Transport => _transport;

    /// <summary>The tracking server's base URI (without credentials).</summary>
    public Uri TrackingUri => _transport.BaseUri;

    /// <summary>Creates a store on a tracking server, with settings from MLflow's <c>MLFLOW_*</c> environment variables unless given.</summary>
    /// <param name="trackingUri">The server URI (http or https).</param>
    /// <param name="options">The settings; null to read them from the environment.</param>
    /// <returns>The store.</returns>
    public static RestTrackingStore Create(Uri trackingUri, RestStoreOptions? options = null) => new(trackingUri, options);

    /// <summary>
    /// Registers the artifact repositories this server serves: <c>mlflow-artifacts:</c> URIs (resolved against this
    /// tracking URI, as MLflow does) and explicit <c>http(s)://…/api/2.0/mlflow-artifacts/artifacts/…</c> URIs, with this
    /// store's credentials and retries.
    /// </summary>
    /// <param name="factory">The factory to register with.</param>
    /// <returns>The factory, for chaining.</returns>
    public ArtifactRepositoryFactory RegisterArtifactRepositories(ArtifactRepositoryFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        factory.Register("mlflow-artifacts", uri => new HttpArtifactRepository(uri, _transport));
        factory.Register("http", uri => new HttpArtifactRepository(uri, _transport));
        factory.Register("https", uri => new HttpArtifactRepository(uri, _transport));
        return factory;
    }

    /// <summary>Releases the HTTP client when the store created it.</summary>
    public void Dispose() => _transport.Dispose();

    /// <summary>Describes the store: its URI without credentials.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"RestTrackingStore({TrackingUri})";

    /// <inheritdoc />
    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation = null, IReadOnlyList<ExperimentTag>? tags = null, CancellationToken cancellationToken = default)
    {
        var body = new CreateExperimentBody
        {
            Name = name,
            ArtifactLocation = artifactLocation,
            Tags = tags is { Count: > 0 } ? tags.Select(t => RestMapping.ToMessage(t.Key, t.Value)).ToList() : null,
        };
        var response = await _transport.PostAsync("experiments/create", body, RestJsonContext.Default.CreateExperimentBody, RestJsonContext.Default.CreateExperimentResponse, cancellationToken).ConfigureAwait(false);
        return response.ExperimentId ?? throw Malformed("experiments/create", "experiment_id");
    }

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetAsync("experiments/get", [new("experiment_id", experimentId)], RestJsonContext.Default.ExperimentResponse, cancellationToken).ConfigureAwait(false);
        return RestMapping.ToEntity(response.Experiment ?? throw Malformed("experiments/get", "experiment"));
    }

    /// <inheritdoc />
    public async Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _transport.GetAsync("experiments/get-by-name", [new("experiment_name", name)], RestJsonContext.Default.ExperimentResponse, cancellationToken).ConfigureAwait(false);
            return response.Experiment is null ? null : RestMapping.ToEntity(response.Experiment);
        }
        catch (MlflowException e) when (e.ErrorCode == ErrorCode.ResourceDoesNotExist)
        {
            // MLflow's client turns this 404 into "no experiment".
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<PagedList<Experiment>> SearchExperimentsAsync(SearchExperimentsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new SearchExperimentsBody
        {
            MaxResults = request.MaxResults,
            PageToken = request.PageToken,
            Filter = request.Filter,
            OrderBy = request.OrderBy.Count > 0 ? [.. request.OrderBy] : null,
            ViewType = RestMapping.ToWire(request.ViewType),
        };
        var response = await _transport.PostAsync("experiments/search", body, RestJsonContext.Default.SearchExperimentsBody, RestJsonContext.Default.SearchExperimentsResponse, cancellationToken).ConfigureAwait(false);
        return new PagedList<Experiment>((response.Experiments ?? []).Select(RestMapping.ToEntity).ToArray(), NullIfEmpty(response.NextPageToken));
    }

    /// <inheritdoc />
    public Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default) =>
        PostAsync("experiments/update", new UpdateExperimentBody { ExperimentId = experimentId, NewName = newName }, RestJsonContext.Default.UpdateExperimentBody, cancellationToken);

    /// <inheritdoc />
    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        PostAsync("experiments/delete", new ExperimentIdBody { ExperimentId = experimentId }, RestJsonContext.Default.ExperimentIdBody, cancellationToken);

    /// <inheritdoc />
    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        PostAsync("experiments/restore", new ExperimentIdBody { ExperimentId = experimentId }, RestJsonContext.Default.ExperimentIdBody, cancellationToken);

    /// <inheritdoc />
    public Task SetExperimentTagAsync(string experimentId, ExperimentTag tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return PostAsync("experiments/set-experiment-tag", new SetExperimentTagBody { ExperimentId = experimentId, Key = tag.Key, Value = tag.Value }, RestJsonContext.Default.SetExperimentTagBody, cancellationToken);
    }

    private static string? NullIfEmpty(string? token) => string.IsNullOrEmpty(token) ? null : token;

    private static MlflowException Malformed(string endpoint, string field) =>
        new(ErrorCode.InternalError, $"The server's answer to {endpoint} has no '{field}'; is the tracking URI an MLflow server?");

    private async Task PostAsync<TRequest>(string endpoint, TRequest body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken) =>
        await _transport.PostAsync(endpoint, body, requestType, RestJsonContext.Default.EmptyMessage, cancellationToken).ConfigureAwait(false);
}
