using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Logging;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Rest;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking;

/// <summary>
/// The MLflow tracking client. Low level: one method per store call, with explicit ids. High level:
/// <see cref="GetOrCreateExperimentAsync"/>, <see cref="StartRunAsync(Experiment?, string?, IReadOnlyDictionary{string, string}?, string?, string?, CancellationToken)"/>
/// (an <see cref="ActiveRun"/> that batches its logging) and <see cref="RunAsync(string, Func{ActiveRun, Task}, string?, CancellationToken)"/>
/// (a run that ends FAILED when the body throws, as MLflow's <c>with mlflow.start_run()</c>).
/// </summary>
/// <remarks>
/// A client made by <see cref="Create"/> owns the stores (and their HTTP clients) it opened: dispose it when done. A client
/// made with the constructor owns nothing: the caller keeps the stores it passed.
/// </remarks>
public sealed partial class MlflowClient : IAsyncDisposable, IDisposable
{
    private readonly ModelRegistryClient? _registry;
    private readonly List<IDisposable> _owned = [];
    private int _disposed;

    /// <summary>Creates a client over a store. The client does not own the stores: disposing it leaves them open.</summary>
    /// <param name="store">The tracking store.</param>
    /// <param name="options">Clock, logging and artifact settings; null for the defaults.</param>
    /// <param name="registryStore">The model registry store; null when this client has no registry.</param>
    public MlflowClient(ITrackingStore store, MlflowClientOptions? options = null, IModelRegistryStore? registryStore = null)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
        Options = options ?? new MlflowClientOptions();
        _registry = registryStore is null ? null : new ModelRegistryClient(registryStore, store);
    }

    /// <summary>
    /// The model registry: register models, move versions through stages, set aliases, roll back, resolve
    /// <c>models:/</c> URIs, search registered models and versions.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the client was created without a registry store.</exception>
    public ModelRegistryClient Registry => _registry
        ?? throw new InvalidOperationException("This client has no model registry: create it with MlflowClient.Create(...) or pass an IModelRegistryStore.");

    /// <summary>The store behind this client.</summary>
    public ITrackingStore Store { get; }

    /// <summary>The client's settings.</summary>
    public MlflowClientOptions Options { get; }

    /// <summary>
    /// The tracking URI this client was created for, when it was created from one, with any password replaced by <c>***</c>
    /// (<c>http://bob:***@host</c>).
    /// </summary>
    public string? TrackingUri { get; private init; }

    /// <summary>
    /// Creates a client for a tracking URI: the one given, else <c>MLFLOW_TRACKING_URI</c>, else <c>./mlruns</c>.
    /// A local path or <c>file:</c> URI opens MLflow's file store (with its model registry); a <c>sqlite:///path/mlflow.db</c> or
    /// <c>postgresql://user:password@host:port/db</c> URI opens MLflow's SQL store (<see cref="SqlTrackingStore"/>, with its registry;
    /// the application references the driver: Microsoft.Data.Sqlite or Npgsql); an <c>http(s)://</c> URI talks
    /// to an MLflow server over REST, tracking and model registry alike, with the credentials, TLS and retry settings of
    /// <see cref="MlflowClientOptions.Rest"/> or else the <c>MLFLOW_*</c> environment variables. <c>MLFLOW_REGISTRY_URI</c>,
    /// when it is an http(s) URI or a local path, puts the registry there instead. The options are copied, never changed;
    /// the client owns the stores it opens (dispose it).
    /// </summary>
    /// <param name="trackingUri">The tracking URI; null to use the environment or the default.</param>
    /// <param name="options">Clock, logging, artifact and REST settings; null for the defaults.</param>
    /// <returns>The client.</returns>
    /// <exception cref="MlflowException">
    /// <see cref="ErrorCode.InvalidParameterValue"/> for a malformed URI (such as <c>http//host:5000</c>);
    /// <see cref="ErrorCode.NotImplemented"/> for a URI scheme this client cannot use (Databricks profiles, <c>s3://</c>, …).
    /// </exception>
    public static MlflowClient Create(string? trackingUri = null, MlflowClientOptions? options = null) => CreateWithHttpClient(trackingUri, options, null);

    /// <summary>Creates a client whose REST stores send with <paramref name="httpClient"/> (owned by the caller) when given.</summary>
    internal static MlflowClient CreateWithHttpClient(string? trackingUri, MlflowClientOptions? options, HttpClient? httpClient)
    {
        var raw = !string.IsNullOrWhiteSpace(trackingUri) ? trackingUri : Environment.GetEnvironmentVariable(Tracking.TrackingUri.EnvironmentVariable);
        if (raw is not null && (raw == "databricks" || raw.StartsWith("databricks://", StringComparison.OrdinalIgnoreCase)))
        {
            throw new MlflowException(
                ErrorCode.NotImplemented,
                $"Tracking URI '{raw}': Databricks profiles are not read by this client; use the workspace URL (https://<workspace-host>) with MLFLOW_TRACKING_TOKEN.");
        }

        var database = raw?.Trim() is { } candidate && SqlTrackingStore.IsDatabaseUri(candidate) ? candidate : null;
        var resolved = database ?? Tracking.TrackingUri.Resolve(trackingUri);
        var settings = (options ?? new MlflowClientOptions()).CopyForClient();
        var owned = new List<IDisposable>();
        try
        {
            // The registry lives with the tracking store unless MLFLOW_REGISTRY_URI names another server (http(s)) or local folder, as in MLflow.
            var registryOverride = Environment.GetEnvironmentVariable("MLFLOW_REGISTRY_URI") is { Length: > 0 } fromEnvironment
                && (IsHttpUri(fromEnvironment) || SqlTrackingStore.IsDatabaseUri(fromEnvironment) || !Tracking.TrackingUri.IsRemote(fromEnvironment))
                ? fromEnvironment.TrimEnd('/')
                : null;
            MlflowClient client;
            if (database is not null)
            {
                // A SQL database in MLflow's schema (sqlite:, postgresql:), tracking and registry alike unless MLFLOW_REGISTRY_URI says otherwise.
                var sql = new SqlTrackingStore(database, SqlOptions(settings));
                var registry = registryOverride is null || string.Equals(registryOverride, database, StringComparison.Ordinal)
                    ? new SqlModelRegistryStore(database, SqlOptions(settings))
                    : OpenRegistry(registryOverride, settings, httpClient, owned);
                client = new MlflowClient(sql, settings, registry) { TrackingUri = SecretRedactor.RedactUri(database) };
            }
            else if (Tracking.TrackingUri.IsRemote(resolved))
            {
                // An MLflow server: REST API 2.0, credentials and retries from the options or the MLFLOW_* environment variables.
                var rest = new RestTrackingStore(new Uri(resolved), RestOptions(settings), httpClient);
                owned.Add(rest);
                rest.RegisterArtifactRepositories(settings.ArtifactRepositories);
                IModelRegistryStore remoteRegistry = registryOverride is null || string.Equals(registryOverride, resolved, StringComparison.Ordinal)
                    ? new RestModelRegistryStore(rest)
                    : OpenRegistry(registryOverride, settings, httpClient, owned);
                client = new MlflowClient(rest, settings, remoteRegistry) { TrackingUri = SecretRedactor.RedactUri(resolved) };
            }
            else
            {
                var store = new FileTrackingStore(FileUris.ToPath(resolved), settings.TimeProvider);
                owned.Add(store);
                var registry = OpenRegistry(registryOverride ?? resolved, settings, httpClient, owned);
                client = new MlflowClient(store, settings, registry) { TrackingUri = resolved };
            }

            client._owned.AddRange(owned);
            return client;
        }
        catch
        {
            owned.ForEach(d => d.Dispose());
            throw;
        }

        static bool IsHttpUri(string uri) =>
            uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

        static IModelRegistryStore OpenRegistry(string registryUri, MlflowClientOptions settings, HttpClient? httpClient, List<IDisposable> owned)
        {
            if (SqlTrackingStore.IsDatabaseUri(registryUri))
            {
                return new SqlModelRegistryStore(registryUri, SqlOptions(settings));
            }

            if (!IsHttpUri(registryUri))
            {
                return new FileModelRegistryStore(FileUris.ToPath(registryUri), settings.TimeProvider);
            }

            var store = new RestModelRegistryStore(new Uri(registryUri), RestOptions(settings), httpClient);
            owned.Add(store);
            return store;
        }
    }

    /// <summary>
    /// Releases the stores and HTTP clients this client opened with <see cref="Create"/>; stores passed to the constructor are
    /// left open. Active runs are not ended by it: end them first.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            foreach (var owned in _owned)
            {
                owned.Dispose();
            }
        }
    }

    /// <summary>Releases the stores and HTTP clients this client opened, as <see cref="Dispose"/> does.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The settings of the SQL stores <see cref="Create"/> opens: the client's clock and loggers.</summary>
    private static SqlStoreOptions SqlOptions(MlflowClientOptions settings) =>
        new() { TimeProvider = settings.TimeProvider, LoggerFactory = settings.LoggerFactory };

    /// <summary>The REST settings of the stores <see cref="Create"/> opens: a copy, with the client's logger unless it has its own.</summary>
    private static RestStoreOptions RestOptions(MlflowClientOptions settings)
    {
        var rest = settings.Rest?.Clone() ?? RestStoreOptions.FromEnvironment();
        rest.LoggerFactory ??= settings.LoggerFactory;
        return rest;
    }

    // ---- Experiments -------------------------------------------------------------------------------------------

    /// <summary>Creates an experiment (<c>experiments/create</c>).</summary>
    /// <param name="name">A unique name.</param>
    /// <param name="artifactLocation">The artifact root for its runs; null for the store's default.</param>
    /// <param name="tags">Tags to set.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new experiment's id.</returns>
    public Task<string> CreateExperimentAsync(string name, string? artifactLocation = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default) =>
        Store.CreateExperimentAsync(name, artifactLocation, tags?.Select(t => new ExperimentTag(t.Key, t.Value)).ToArray(), cancellationToken);

    /// <summary>Gets an experiment by id (<c>experiments/get</c>).</summary>
    /// <param name="experimentId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The experiment.</returns>
    public Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        Store.GetExperimentAsync(experimentId, cancellationToken);

    /// <summary>Gets an experiment by name (<c>experiments/get-by-name</c>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The experiment, or null when there is none.</returns>
    public Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default) =>
        Store.GetExperimentByNameAsync(name, cancellationToken);

    /// <summary>Searches experiments (<c>experiments/search</c>).</summary>
    /// <param name="request">Filter, ordering, view type and paging; null for the first page of active experiments.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of experiments.</returns>
    public Task<PagedList<Experiment>> SearchExperimentsAsync(SearchExperimentsRequest? request = null, CancellationToken cancellationToken = default) =>
        Store.SearchExperimentsAsync(request ?? new SearchExperimentsRequest(), cancellationToken);

    /// <summary>Renames an experiment (<c>experiments/update</c>).</summary>
    /// <param name="experimentId">The id.</param>
    /// <param name="newName">The new, unique name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the experiment is renamed.</returns>
    public Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default) =>
        Store.RenameExperimentAsync(experimentId, newName, cancellationToken);

    /// <summary>Soft-deletes an experiment (<c>experiments/delete</c>).</summary>
    /// <param name="experimentId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the experiment is deleted.</returns>
    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        Store.DeleteExperimentAsync(experimentId, cancellationToken);

    /// <summary>Restores a deleted experiment (<c>experiments/restore</c>).</summary>
    /// <param name="experimentId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the experiment is restored.</returns>
    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        Store.RestoreExperimentAsync(experimentId, cancellationToken);

    /// <summary>Sets a tag on an experiment (<c>experiments/set-experiment-tag</c>).</summary>
    /// <param name="experimentId">The id.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the tag is set.</returns>
    public Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken = default) =>
        Store.SetExperimentTagAsync(experimentId, new ExperimentTag(key, value), cancellationToken);

    /// <summary>
    /// Gets the active experiment of a name, creating it when missing (MLflow's <c>set_experiment</c>); a concurrent
    /// creation of the same name is handled by reading the winner's experiment.
    /// </summary>
    /// <param name="name">The experiment name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The experiment.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when the experiment of that name is deleted.</exception>
    public async Task<Experiment> GetOrCreateExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var experiment = await Store.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false);
        if (experiment is null)
        {
            try
            {
                var id = await Store.CreateExperimentAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
                return await Store.GetExperimentAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (MlflowException error) when (error.ErrorCode == ErrorCode.ResourceAlreadyExists)
            {
                experiment = await Store.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)
                    ?? throw new MlflowException(ErrorCode.InternalError, $"Experiment '{name}' was reported as existing but cannot be read.", error);
            }
        }

        if (experiment.LifecycleStage == LifecycleStage.Deleted)
        {
            throw MlflowException.InvalidParameter(
                $"Cannot use the deleted experiment '{name}' (id {experiment.ExperimentId}). Restore it with RestoreExperimentAsync, or delete it permanently from the store's .trash folder.");
        }

        return experiment;
    }

    // ---- Runs --------------------------------------------------------------------------------------------------

    /// <summary>Creates a run (<c>runs/create</c>) without starting batched logging; see <see cref="StartRunAsync(Experiment?, string?, IReadOnlyDictionary{string, string}?, string?, string?, CancellationToken)"/> for that.</summary>
    /// <param name="request">Experiment, name, start time and tags.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new run.</returns>
    public Task<Run> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken = default) =>
        Store.CreateRunAsync(request, cancellationToken);

    /// <summary>
    /// Where a logged model's files are: a <c>runs:/</c> URI through the run's artifact root (no registry needed), a
    /// <c>models:/</c> URI through the registry (<see cref="ModelRegistryClient.ResolveAsync"/>), anything else as given.
    /// </summary>
    /// <param name="modelUri">The model URI.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    /// <returns>The artifact URI of the model's folder.</returns>
    /// <exception cref="MlflowException">A malformed URI, or a run or model version that does not exist.</exception>
    public async Task<string> ResolveModelArtifactUriAsync(string modelUri, CancellationToken cancellationToken = default)
    {
        if (ModelUri.IsRunsUri(modelUri))
        {
            var parsed = ModelUri.Parse(modelUri);
            var run = await GetRunAsync(parsed.RunId!, cancellationToken).ConfigureAwait(false);
            return run.Info.ArtifactUri.TrimEnd('/') + (parsed.ArtifactPath is { Length: > 0 } path ? "/" + path : string.Empty);
        }

        return (await Registry.ResolveAsync(modelUri, cancellationToken).ConfigureAwait(false)).ArtifactUri;
    }

    /// <summary>Gets a run (<c>runs/get</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run.</returns>
    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        Store.GetRunAsync(runId, cancellationToken);

    /// <summary>Updates a run's status, end time and name (<c>runs/update</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="status">The new status.</param>
    /// <param name="endTime">The end time; null leaves it unchanged.</param>
    /// <param name="runName">A new name; null leaves it unchanged.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated run info.</returns>
    public Task<RunInfo> UpdateRunAsync(string runId, RunStatus status, DateTimeOffset? endTime = null, string? runName = null, CancellationToken cancellationToken = default) =>
        Store.UpdateRunInfoAsync(runId, status, endTime?.ToUnixTimeMilliseconds(), runName, cancellationToken);

    /// <summary>Ends a run: sets its status (FINISHED unless told otherwise) and its end time to now.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="status">The terminal status. The default value is <see cref="RunStatus.Finished"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated run info.</returns>
    public Task<RunInfo> SetTerminatedAsync(string runId, RunStatus status = RunStatus.Finished, CancellationToken cancellationToken = default) =>
        Store.UpdateRunInfoAsync(runId, status, NowMilliseconds(), null, cancellationToken);

    /// <summary>Soft-deletes a run (<c>runs/delete</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the run is deleted.</returns>
    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default) => Store.DeleteRunAsync(runId, cancellationToken);

    /// <summary>Restores a deleted run (<c>runs/restore</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the run is restored.</returns>
    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default) => Store.RestoreRunAsync(runId, cancellationToken);

    /// <summary>Searches runs (<c>runs/search</c>).</summary>
    /// <param name="request">Experiments, filter, ordering, view type and paging.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of runs.</returns>
    public Task<PagedList<Run>> SearchRunsAsync(SearchRunsRequest request, CancellationToken cancellationToken = default) =>
        Store.SearchRunsAsync(request, cancellationToken);

    /// <summary>Gets every value logged for a metric (<c>metrics/get-history</c>), following pages to the end.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="metricKey">The metric key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The values in the order logged.</returns>
    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, CancellationToken cancellationToken = default)
    {
        return await Paging.CollectAsync((token, _) => Store.GetMetricHistoryAsync(runId, metricKey, null, token, cancellationToken)).ConfigureAwait(false);
    }

    // ---- Logging -----------------------------------------------------------------------------------------------

    /// <summary>Logs one metric value now (a <c>log-batch</c> of one). For many values use an <see cref="ActiveRun"/>.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="key">The metric key.</param>
    /// <param name="value">The value.</param>
    /// <param name="step">The step. The default value is 0.</param>
    /// <param name="timestamp">When it was measured; null for now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the value is written.</returns>
    public Task LogMetricAsync(string runId, string key, double value, long step = 0, DateTimeOffset? timestamp = null, CancellationToken cancellationToken = default) =>
        LogBatchAsync(runId, [new Metric(key, value, timestamp?.ToUnixTimeMilliseconds() ?? NowMilliseconds(), step)], null, null, cancellationToken);

    /// <summary>Logs a param (params are immutable: logging the same key with another value fails).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="key">The param key.</param>
    /// <param name="value">The value, formatted with the invariant culture.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the param is written.</returns>
    public Task LogParamAsync(string runId, string key, object? value, CancellationToken cancellationToken = default) =>
        LogBatchAsync(runId, null, [new Param(key, ValueText.Format(value))], null, cancellationToken);

    /// <summary>Sets a run tag.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the tag is written.</returns>
    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken = default) =>
        LogBatchAsync(runId, null, null, [new RunTag(key, value)], cancellationToken);

    /// <summary>Deletes a run tag (<c>runs/delete-tag</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the tag is deleted.</returns>
    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default) =>
        Store.DeleteTagAsync(runId, key, cancellationToken);

    /// <summary>
    /// Logs metrics, params and tags, split into as many <c>log-batch</c> calls as MLflow's limits need
    /// (1000 metrics, 100 params, 100 tags, 1000 in all per call), as MLflow's own client splits them.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="metrics">Metric values.</param>
    /// <param name="parameters">Params.</param>
    /// <param name="tags">Tags.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when everything is written.</returns>
    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics = null, IReadOnlyList<Param>? parameters = null, IReadOnlyList<RunTag>? tags = null, CancellationToken cancellationToken = default)
    {
        foreach (var batch in LogBatchSplitter.Split(metrics ?? [], parameters ?? [], tags ?? []))
        {
            await Store.LogBatchAsync(runId, batch.Metrics, batch.Params, batch.Tags, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records datasets a run used (<c>runs/log-inputs</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="datasets">The dataset inputs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the inputs are recorded.</returns>
    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken = default) =>
        Store.LogInputsAsync(runId, datasets, cancellationToken);

    // ---- Artifacts ---------------------------------------------------------------------------------------------

    /// <summary>The artifact repository of a run, chosen from its <c>artifact_uri</c>.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The repository.</returns>
    public async Task<IArtifactRepository> GetArtifactRepositoryAsync(string runId, CancellationToken cancellationToken = default)
    {
        var run = await Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        return Options.ArtifactRepositories.Create(run.Info.ArtifactUri);
    }

    /// <summary>Logs a local file or folder as an artifact of a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="localPath">A file, or a folder whose contents are copied.</param>
    /// <param name="artifactPath">The folder under the run's artifact root; null for the root.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>A task that completes when the artifact is stored.</returns>
    public async Task LogArtifactAsync(string runId, string localPath, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        var repository = await GetArtifactRepositoryAsync(runId, cancellationToken).ConfigureAwait(false);
        await ArtifactLogging.LogPathAsync(repository, localPath, artifactPath, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists one level of a run's artifacts.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="path">The folder under the artifact root; null for the root.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries, sorted by path.</returns>
    public async Task<IReadOnlyList<ArtifactFileInfo>> ListArtifactsAsync(string runId, string? path = null, CancellationToken cancellationToken = default)
    {
        var repository = await GetArtifactRepositoryAsync(runId, cancellationToken).ConfigureAwait(false);
        return await repository.ListAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads a run's artifact file or folder into a local folder.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="artifactPath">The file or folder; null for everything.</param>
    /// <param name="destinationDirectory">The local folder to copy into.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The local path of the copy.</returns>
    public async Task<string> DownloadArtifactsAsync(string runId, string? artifactPath, string destinationDirectory, CancellationToken cancellationToken = default)
    {
        var repository = await GetArtifactRepositoryAsync(runId, cancellationToken).ConfigureAwait(false);
        return await repository.DownloadAsync(artifactPath, destinationDirectory, cancellationToken).ConfigureAwait(false);
    }

    // ---- Active runs -------------------------------------------------------------------------------------------

    /// <summary>
    /// Starts a run and returns it as an <see cref="ActiveRun"/> whose logging is queued and batched. The experiment is
    /// the one given, else <c>MLFLOW_EXPERIMENT_NAME</c> (created when missing), else <c>MLFLOW_EXPERIMENT_ID</c>, else
    /// the default experiment <c>0</c>. When no experiment is given and <c>MLFLOW_RUN_ID</c> is set, that run is
    /// resumed instead (and the variable is cleared, as MLflow does). The run gets MLflow's system tags
    /// (<c>mlflow.runName</c>, <c>mlflow.user</c>, <c>mlflow.source.name</c>, <c>mlflow.source.type</c>,
    /// <c>mlflow.source.git.commit</c> inside a git work tree) and the tags of <c>MLFLOW_RUN_CONTEXT</c>.
    /// </summary>
    /// <param name="experiment">The experiment; null to choose it from the environment.</param>
    /// <param name="runName">The run name; null for a generated one.</param>
    /// <param name="tags">Tags to set at creation.</param>
    /// <param name="description">A Markdown description (the <c>mlflow.note.content</c> tag).</param>
    /// <param name="parentRunId">The parent run of a nested run (the <c>mlflow.parentRunId</c> tag).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The running run; end it with <see cref="ActiveRun.EndAsync"/> or dispose it.</returns>
    public async Task<ActiveRun> StartRunAsync(Experiment? experiment = null, string? runName = null, IReadOnlyDictionary<string, string>? tags = null, string? description = null, string? parentRunId = null, CancellationToken cancellationToken = default)
    {
        if (experiment is null && Environment.GetEnvironmentVariable("MLFLOW_RUN_ID") is { Length: > 0 } resumeId)
        {
            Environment.SetEnvironmentVariable("MLFLOW_RUN_ID", null);
            return await ResumeRunAsync(resumeId, tags, description, cancellationToken).ConfigureAwait(false);
        }

        var experimentId = experiment?.ExperimentId ?? await ExperimentFromEnvironmentAsync(cancellationToken).ConfigureAwait(false);
        var allTags = RunContextTags.Collect();
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            allTags[key] = value;
        }

        if (runName is not null)
        {
            allTags[RunContextTags.RunName] = runName;
        }

        if (description is not null)
        {
            allTags[RunContextTags.NoteContent] = description;
        }

        if (parentRunId is not null)
        {
            allTags[RunContextTags.ParentRunId] = parentRunId;
        }

        var run = await Store.CreateRunAsync(
            new CreateRunRequest
            {
                ExperimentId = experimentId,
                RunName = runName,
                UserId = allTags[RunContextTags.User],
                StartTime = NowMilliseconds(),
                Tags = allTags.Select(t => new RunTag(t.Key, t.Value)).ToArray(),
            },
            cancellationToken).ConfigureAwait(false);
        return new ActiveRun(this, run.Info);
    }

    /// <summary>
    /// Resumes an existing run as an <see cref="ActiveRun"/>: sets it RUNNING again (keeping its end time, as MLflow
    /// does) and logs the given tags and description.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="tags">Tags to set.</param>
    /// <param name="description">A Markdown description (the <c>mlflow.note.content</c> tag).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The running run.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when the run is deleted.</exception>
    public async Task<ActiveRun> ResumeRunAsync(string runId, IReadOnlyDictionary<string, string>? tags = null, string? description = null, CancellationToken cancellationToken = default)
    {
        var run = await Store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run.Info.LifecycleStage == LifecycleStage.Deleted)
        {
            throw MlflowException.InvalidParameter($"Cannot resume run {runId}: it is deleted. Restore it with RestoreRunAsync first.");
        }

        var info = await Store.UpdateRunInfoAsync(runId, RunStatus.Running, run.Info.EndTime, null, cancellationToken).ConfigureAwait(false);
        var extra = (tags ?? new Dictionary<string, string>()).Select(t => new RunTag(t.Key, t.Value)).ToList();
        if (description is not null)
        {
            extra.Add(new RunTag(RunContextTags.NoteContent, description));
        }

        await LogBatchAsync(runId, null, null, extra, cancellationToken).ConfigureAwait(false);
        return new ActiveRun(this, info);
    }

    internal long NowMilliseconds() => Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<string> ExperimentFromEnvironmentAsync(CancellationToken cancellationToken)
    {
        var name = Environment.GetEnvironmentVariable("MLFLOW_EXPERIMENT_NAME");
        var id = Environment.GetEnvironmentVariable("MLFLOW_EXPERIMENT_ID");
        if (!string.IsNullOrEmpty(name))
        {
            var experiment = await GetOrCreateExperimentAsync(name, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(id) && id != experiment.ExperimentId)
            {
                throw MlflowException.InvalidParameter(
                    $"MLFLOW_EXPERIMENT_NAME ('{name}', id {experiment.ExperimentId}) and MLFLOW_EXPERIMENT_ID ('{id}') name different experiments.");
            }

            return experiment.ExperimentId;
        }

        if (!string.IsNullOrEmpty(id))
        {
            // Must exist: GetExperimentAsync raises RESOURCE_DOES_NOT_EXIST otherwise.
            var experiment = await Store.GetExperimentAsync(id, cancellationToken).ConfigureAwait(false);
            return experiment.ExperimentId;
        }

        return Experiment.DefaultExperimentId;
    }
}
