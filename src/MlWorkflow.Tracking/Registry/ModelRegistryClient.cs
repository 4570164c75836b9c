using System.Globalization;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Registry;

/// <summary>
/// The model registry's high-level acts, over a registry store and (to resolve <c>runs:/</c> URIs) a tracking store:
/// register a logged model, move it through stages, point aliases, roll back, and resolve any model URI to where the
/// model's files are. Every store call stays reachable through <see cref="Store"/>.
/// </summary>
/// <example>
/// <code>
/// var tracking = new FileTrackingStore("mlruns");
/// var registry = new ModelRegistryClient(new FileModelRegistryStore("mlruns"), tracking);
/// var v = await registry.RegisterModelAsync($"runs:/{runId}/model", "SalesForecastModel");
/// await registry.TransitionStageAsync("SalesForecastModel", v.Version, ModelVersionStage.Production, archiveExistingVersions: true);
/// await registry.SetAliasAsync("SalesForecastModel", "champion", v.Version);
/// var model = await registry.ResolveAsync("models:/SalesForecastModel/Production");   // model.LocalPath
/// </code>
/// </example>
public sealed class ModelRegistryClient
{
    /// <summary>Creates a client.</summary>
    /// <param name="store">The registry store.</param>
    /// <param name="trackingStore">The tracking store that holds the runs; needed for <c>runs:/</c> URIs. The default value is null.</param>
    public ModelRegistryClient(IModelRegistryStore store, ITrackingStore? trackingStore = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        TrackingStore = trackingStore;
    }

    /// <summary>The registry store, for every low-level call (search, tags, descriptions, deletion…).</summary>
    public IModelRegistryStore Store { get; }

    /// <summary>The tracking store used to resolve <c>runs:/</c> URIs; null when none was given.</summary>
    public ITrackingStore? TrackingStore { get; }

    /// <summary>
    /// Registers a model as a new version of <paramref name="name"/>, creating the registered model when it does not
    /// exist yet (as MLflow's <c>register_model</c>). A <c>runs:/&lt;run&gt;/&lt;path&gt;</c> URI is resolved to the
    /// run's concrete artifact URI, which becomes the version's source, and the run id is recorded.
    /// </summary>
    /// <param name="modelUri">The model: <c>runs:/&lt;run id&gt;/model</c>, a <c>models:/</c> URI, or a concrete artifact URI or path.</param>
    /// <param name="name">The registered model name.</param>
    /// <param name="tags">Tags for the new version. The default value is none.</param>
    /// <param name="description">A description of the new version. The default value is null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version.</returns>
    public async Task<ModelVersion> RegisterModelAsync(string modelUri, string name, IReadOnlyList<ModelVersionTag>? tags = null, string? description = null, CancellationToken cancellationToken = default)
    {
        var uri = ModelUri.Parse(modelUri);
        RegistryValidation.ValidateModelName(name);
        string source = modelUri;
        string? runId = null;
        if (uri.Kind == ModelUriKind.RunArtifact)
        {
            source = await RunArtifactUriAsync(uri.RunId!, uri.ArtifactPath!, cancellationToken).ConfigureAwait(false);
            runId = uri.RunId;
        }

        try
        {
            await Store.CreateRegisteredModelAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException error) when (error.ErrorCode is ErrorCode.ResourceAlreadyExists or ErrorCode.AlreadyExists)
        {
            // registering a new version of an existing model
        }

        return await Store.CreateModelVersionAsync(
            new CreateModelVersionRequest(name, source) { RunId = runId, Tags = tags ?? [], Description = description },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves a version to a stage.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="stage">The target stage.</param>
    /// <param name="archiveExistingVersions">Whether the other versions in the target stage move to Archived (Staging and Production only). The default value is false.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transitioned version.</returns>
    public Task<ModelVersion> TransitionStageAsync(string name, int version, ModelVersionStage stage, bool archiveExistingVersions = false, CancellationToken cancellationToken = default) =>
        Store.TransitionModelVersionStageAsync(name, version, stage, archiveExistingVersions, cancellationToken);

    /// <summary>Points an alias (such as <c>champion</c>) at a version, moving it from any other version.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the alias is set.</returns>
    public Task SetAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default) =>
        Store.SetRegisteredModelAliasAsync(name, alias, version, cancellationToken);

    /// <summary>Deletes an alias.</summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the alias is gone.</returns>
    public Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        Store.DeleteRegisteredModelAliasAsync(name, alias, cancellationToken);

    /// <summary>
    /// Rolls back: promotes an earlier version back to Production and archives the version(s) in Production. The
    /// history stays visible: the archived versions keep their numbers and get an Archived stage and a new
    /// last-updated time, and the promoted version's last-updated time records the rollback.
    /// </summary>
    /// <param name="name">The registered model name.</param>
    /// <param name="toVersion">The version to bring back; lower than the highest version now in Production.</param>
    /// <param name="alias">An alias (such as <c>champion</c>) to point at <paramref name="toVersion"/> too; null to leave aliases alone. The default value is null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version now in Production and the versions archived.</returns>
    /// <exception cref="MlflowException">
    /// <see cref="ErrorCode.ResourceDoesNotExist"/> for an unknown model or version; <see cref="ErrorCode.InvalidParameterValue"/>
    /// when no version is in Production, or <paramref name="toVersion"/> is not earlier than it.
    /// </exception>
    public async Task<ModelRollback> RollbackAsync(string name, int toVersion, string? alias = null, CancellationToken cancellationToken = default)
    {
        RegistryValidation.ValidateVersion(toVersion);
        if (alias is not null)
        {
            RegistryValidation.ValidateAlias(alias);
        }

        var target = await Store.GetModelVersionAsync(name, toVersion, cancellationToken).ConfigureAwait(false);
        var production = await ProductionVersionsAsync(name, cancellationToken).ConfigureAwait(false);
        if (production.Count == 0)
        {
            throw MlflowException.InvalidParameter(string.Create(
                CultureInfo.InvariantCulture,
                $"Cannot roll back model '{name}' to version {toVersion}: no version is in Production. Use TransitionStageAsync to promote a version."));
        }

        var current = production.Max(v => v.Version);
        if (toVersion >= current)
        {
            throw MlflowException.InvalidParameter(string.Create(
                CultureInfo.InvariantCulture,
                $"Cannot roll back model '{name}' to version {toVersion}: it is not earlier than version {current}, which is in Production. Use TransitionStageAsync to promote a newer version."));
        }

        var promoted = await Store.TransitionModelVersionStageAsync(name, target.Version, ModelVersionStage.Production, archiveExistingVersions: true, cancellationToken).ConfigureAwait(false);
        if (alias is not null)
        {
            await Store.SetRegisteredModelAliasAsync(name, alias, toVersion, cancellationToken).ConfigureAwait(false);
            promoted = await Store.GetModelVersionAsync(name, toVersion, cancellationToken).ConfigureAwait(false);
        }

        var archived = new List<ModelVersion>();
        foreach (var version in production.Where(v => v.Version != toVersion))
        {
            archived.Add(await Store.GetModelVersionAsync(name, version.Version, cancellationToken).ConfigureAwait(false));
        }

        return new ModelRollback(promoted, archived);
    }

    /// <summary>Finds the version a <c>models:/</c> URI names.</summary>
    /// <param name="modelUri">A URI such as <c>models:/Name/3</c>, <c>models:/Name/Production</c>, <c>models:/Name/latest</c> or <c>models:/Name@champion</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when the URI is not a <c>models:/</c> URI.</exception>
    public Task<ModelVersion> GetModelVersionAsync(string modelUri, CancellationToken cancellationToken = default)
    {
        var uri = ModelUri.Parse(modelUri);
        return uri.IsRegistryUri
            ? uri.ResolveVersionAsync(Store, cancellationToken)
            : throw MlflowException.InvalidParameter($"'{modelUri}' is not a models:/ URI; it names no registered model version.");
    }

    /// <summary>
    /// Resolves any model URI to where the model's files are: <c>models:/</c> URIs through the registry (then the
    /// version's download URI), <c>runs:/</c> URIs through the run's artifact root, anything else as given. A
    /// <c>file:</c> location that no longer exists because the store was moved is looked up again under the run's
    /// current artifact root.
    /// </summary>
    /// <param name="modelUri">The model URI.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The artifact URI, the local folder when it is local, and the registry version.</returns>
    public async Task<ResolvedModelUri> ResolveAsync(string modelUri, CancellationToken cancellationToken = default)
    {
        var uri = ModelUri.Parse(modelUri);
        ModelVersion? version = null;
        string? runId = null;
        string artifactUri;
        switch (uri.Kind)
        {
            case ModelUriKind.RunArtifact:
                runId = uri.RunId;
                artifactUri = await RunArtifactUriAsync(uri.RunId!, uri.ArtifactPath!, cancellationToken).ConfigureAwait(false);
                break;
            case ModelUriKind.Location:
                artifactUri = modelUri;
                break;
            default:
                version = await uri.ResolveVersionAsync(Store, cancellationToken).ConfigureAwait(false);
                runId = string.IsNullOrEmpty(version.RunId) ? null : version.RunId;
                artifactUri = await Store.GetModelVersionDownloadUriAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
                if (ModelUri.IsRunsUri(artifactUri))
                {
                    var inner = ModelUri.Parse(artifactUri);
                    artifactUri = await RunArtifactUriAsync(inner.RunId!, inner.ArtifactPath!, cancellationToken).ConfigureAwait(false);
                }

                break;
        }

        var localPath = LocalPathOf(artifactUri);
        if (localPath is not null && !Directory.Exists(localPath) && !File.Exists(localPath) && runId is not null && TrackingStore is not null)
        {
            var moved = await RelocateUnderRunAsync(artifactUri, runId, cancellationToken).ConfigureAwait(false);
            if (moved is not null)
            {
                artifactUri = moved;
                localPath = LocalPathOf(moved);
            }
        }

        return new ResolvedModelUri(modelUri, artifactUri, localPath, version, runId);
    }

    private async Task<List<ModelVersion>> ProductionVersionsAsync(string name, CancellationToken cancellationToken)
    {
        // The grammar has no escapes: quote with the quote the name does not contain; with both, filter here.
        string? filter = !name.Contains('\'', StringComparison.Ordinal) ? $"name = '{name}'"
            : !name.Contains('"', StringComparison.Ordinal) ? $"name = \"{name}\""
            : null;
        var result = new List<ModelVersion>();
        string? pageToken = null;
        do
        {
            var page = await Store.SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = filter, PageToken = pageToken }, cancellationToken).ConfigureAwait(false);
            result.AddRange(page.Items.Where(v => v.Name == name && v.CurrentStage == ModelVersionStage.Production));
            pageToken = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(pageToken));
        return result;
    }

    private async Task<string> RunArtifactUriAsync(string runId, string artifactPath, CancellationToken cancellationToken)
    {
        if (TrackingStore is null)
        {
            throw MlflowException.InvalidParameter($"Cannot resolve runs:/{runId}/{artifactPath}: this registry client has no tracking store. Create it with the tracking store that holds the run.");
        }

        var run = await TrackingStore.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        return artifactPath.Length == 0 ? run.Info.ArtifactUri : FileUris.Append(run.Info.ArtifactUri, artifactPath);
    }

    /// <summary>A <c>…/&lt;run id&gt;/artifacts/&lt;path&gt;</c> location re-rooted at the run's current artifact URI; null when the URI has no such part.</summary>
    private async Task<string?> RelocateUnderRunAsync(string artifactUri, string runId, CancellationToken cancellationToken)
    {
        var marker = "/" + runId + "/artifacts";
        var index = artifactUri.Replace('\\', '/').LastIndexOf(marker, StringComparison.Ordinal);
        if (index < 0)
        {
            return null;
        }

        var rest = artifactUri[(index + marker.Length)..].Replace('\\', '/').Trim('/');
        try
        {
            return await RunArtifactUriAsync(runId, Artifacts.ArtifactPath.Normalize(rest), cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException)
        {
            return null; // the run is not in this tracking store: keep the recorded location
        }
    }

    private static string? LocalPathOf(string artifactUri)
    {
        if (artifactUri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return FileUris.ToPath(artifactUri);
        }

        return FileUris.HasScheme(artifactUri) ? null : Path.GetFullPath(artifactUri);
    }

    /// <summary>Searches registered models, following pages until <paramref name="maxResults"/> or the end (as <c>mlflow.search_registered_models</c>).</summary>
    /// <param name="filterString">MLflow's filter, such as <c>name LIKE 'fraud%'</c>; null for all.</param>
    /// <param name="maxResults">The most models returned. The default value is 100,000.</param>
    /// <param name="orderBy">Order clauses, such as <c>name ASC</c>; null for the store's order.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The registered models.</returns>
    public async Task<IReadOnlyList<RegisteredModel>> SearchRegisteredModelsAsync(string? filterString = null, int maxResults = 100_000, IReadOnlyList<string>? orderBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResults);
        return await Paging.CollectAsync(
            (token, wanted) => Store.SearchRegisteredModelsAsync(
                new SearchRegisteredModelsRequest
                {
                    Filter = string.IsNullOrWhiteSpace(filterString) ? null : filterString,
                    MaxResults = Math.Min(wanted, SearchRegisteredModelsRequest.MaxResultsLimit),
                    OrderBy = orderBy ?? [],
                    PageToken = token,
                },
                cancellationToken),
            maxResults).ConfigureAwait(false);
    }

    /// <summary>Searches model versions, following pages until <paramref name="maxResults"/> or the end (as <c>mlflow.search_model_versions</c>).</summary>
    /// <param name="filterString">MLflow's filter, such as <c>name = 'fraud'</c>; null for all.</param>
    /// <param name="maxResults">The most versions returned. The default value is 100,000.</param>
    /// <param name="orderBy">Order clauses; null for the store's order.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The model versions.</returns>
    public async Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(string? filterString = null, int maxResults = 100_000, IReadOnlyList<string>? orderBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResults);
        return await Paging.CollectAsync(
            (token, wanted) => Store.SearchModelVersionsAsync(
                new SearchModelVersionsRequest
                {
                    Filter = string.IsNullOrWhiteSpace(filterString) ? null : filterString,
                    MaxResults = Math.Min(wanted, SearchModelVersionsRequest.MaxResultsLimit),
                    OrderBy = orderBy ?? [],
                    PageToken = token,
                },
                cancellationToken),
            maxResults).ConfigureAwait(false);
    }
}
