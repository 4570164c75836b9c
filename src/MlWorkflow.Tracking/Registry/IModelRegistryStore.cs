using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Registry;

/// <summary>
/// A model registry backend, mirroring MLflow's abstract registry store: one method per endpoint of MLflow's
/// <c>ModelRegistryService</c> (REST <c>/api/2.0/mlflow/registered-models/*</c> and <c>/model-versions/*</c>), so
/// that a REST implementation maps each call to one request. Implementations: <see cref="FileModelRegistryStore"/>
/// (MLflow's <c>mlruns/models/</c> layout).
/// </summary>
/// <remarks>
/// Every failure is an <see cref="MlflowException"/> with MLflow's code: <see cref="ErrorCode.ResourceDoesNotExist"/>
/// for an unknown model or version, <see cref="ErrorCode.ResourceAlreadyExists"/> for a taken name,
/// <see cref="ErrorCode.InvalidParameterValue"/> for invalid input and for an unknown alias (as MLflow answers).
/// </remarks>
public interface IModelRegistryStore
{
    /// <summary>Creates a registered model (<c>POST registered-models/create</c>).</summary>
    /// <param name="name">A unique, non-empty name without <c>/</c>, <c>\</c>, <c>%</c> or control characters.</param>
    /// <param name="tags">Tags to set. The default value is none.</param>
    /// <param name="description">A description. The default value is null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new model.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.ResourceAlreadyExists"/> when the name is taken.</exception>
    Task<RegisteredModel> CreateRegisteredModelAsync(string name, IReadOnlyList<RegisteredModelTag>? tags = null, string? description = null, CancellationToken cancellationToken = default);

    /// <summary>Gets a registered model with its latest versions, tags and aliases (<c>GET registered-models/get</c>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.ResourceDoesNotExist"/> when there is none.</exception>
    Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Renames a registered model with its versions, tags and aliases (<c>POST registered-models/rename</c>).</summary>
    /// <param name="name">The current name.</param>
    /// <param name="newName">A unique new name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renamed model.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.ResourceAlreadyExists"/> when the new name is taken.</exception>
    Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken = default);

    /// <summary>Sets a registered model's description (<c>PATCH registered-models/update</c>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="description">The description; null clears it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated model.</returns>
    Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken = default);

    /// <summary>Deletes a registered model with all its versions, tags and aliases (<c>DELETE registered-models/delete</c>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the model is gone.</returns>
    Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Searches registered models with MLflow's filter grammar, ordering and paging (<c>GET registered-models/search</c>).</summary>
    /// <param name="request">The search arguments.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of models.</returns>
    Task<PagedList<RegisteredModel>> SearchRegisteredModelsAsync(SearchRegisteredModelsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Sets (or overwrites) a tag on a registered model (<c>POST registered-models/set-tag</c>).</summary>
    /// <param name="name">The model name.</param>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the tag is set.</returns>
    Task SetRegisteredModelTagAsync(string name, RegisteredModelTag tag, CancellationToken cancellationToken = default);

    /// <summary>Deletes a tag from a registered model (<c>DELETE registered-models/delete-tag</c>); a tag that is not set is ignored, as MLflow's file store does.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the tag is gone.</returns>
    Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken = default);

    /// <summary>Points an alias at a version, moving it if it pointed elsewhere (<c>POST registered-models/alias</c>).</summary>
    /// <param name="name">The model name.</param>
    /// <param name="alias">The alias: letters, digits, <c>_</c>, <c>-</c>; not <c>latest</c> nor <c>v&lt;digits&gt;</c>.</param>
    /// <param name="version">An existing version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the alias is set.</returns>
    Task SetRegisteredModelAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default);

    /// <summary>Deletes an alias (<c>DELETE registered-models/alias</c>); an alias that is not set is ignored.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the alias is gone.</returns>
    Task DeleteRegisteredModelAliasAsync(string name, string alias, CancellationToken cancellationToken = default);

    /// <summary>Gets the version an alias points to (<c>GET registered-models/alias</c>).</summary>
    /// <param name="name">The model name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when the alias is not set (MLflow's answer, not 404).</exception>
    Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default);

    /// <summary>Gets the highest-numbered version in each stage (<c>registered-models/get-latest-versions</c>).</summary>
    /// <param name="name">The model name.</param>
    /// <param name="stages">The stages to look at; null or empty for all four.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>At most one version per stage, in stage order.</returns>
    Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<ModelVersionStage>? stages = null, CancellationToken cancellationToken = default);

    /// <summary>Creates the next version of a registered model, in stage <see cref="ModelVersionStage.None"/> (<c>POST model-versions/create</c>).</summary>
    /// <param name="request">The model, source, run and tags.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version: 1 + the highest version ever created (deleted ones included).</returns>
    Task<ModelVersion> CreateModelVersionAsync(CreateModelVersionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Gets a model version (<c>GET model-versions/get</c>).</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.ResourceDoesNotExist"/> when there is none (or it was deleted).</exception>
    Task<ModelVersion> GetModelVersionAsync(string name, int version, CancellationToken cancellationToken = default);

    /// <summary>Sets a model version's description (<c>PATCH model-versions/update</c>).</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="description">The description; null clears it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated version.</returns>
    Task<ModelVersion> UpdateModelVersionAsync(string name, int version, string? description, CancellationToken cancellationToken = default);

    /// <summary>Deletes a model version and the aliases that point to it (<c>DELETE model-versions/delete</c>); its number is never reused.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the version is deleted.</returns>
    Task DeleteModelVersionAsync(string name, int version, CancellationToken cancellationToken = default);

    /// <summary>Searches model versions with MLflow's filter grammar, ordering and paging (<c>GET model-versions/search</c>).</summary>
    /// <param name="request">The search arguments.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of versions.</returns>
    Task<PagedList<ModelVersion>> SearchModelVersionsAsync(SearchModelVersionsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Moves a version to a stage (<c>POST model-versions/transition-stage</c>).</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="stage">The target stage.</param>
    /// <param name="archiveExistingVersions">Whether every other version in the target stage moves to <see cref="ModelVersionStage.Archived"/>; only allowed for Staging and Production.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transitioned version.</returns>
    Task<ModelVersion> TransitionModelVersionStageAsync(string name, int version, ModelVersionStage stage, bool archiveExistingVersions, CancellationToken cancellationToken = default);

    /// <summary>Sets (or overwrites) a tag on a model version (<c>POST model-versions/set-tag</c>).</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the tag is set.</returns>
    Task SetModelVersionTagAsync(string name, int version, ModelVersionTag tag, CancellationToken cancellationToken = default);

    /// <summary>Deletes a tag from a model version (<c>DELETE model-versions/delete-tag</c>); a tag that is not set is ignored.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the tag is gone.</returns>
    Task DeleteModelVersionTagAsync(string name, int version, string key, CancellationToken cancellationToken = default);

    /// <summary>Gets where a version's artifacts are (<c>GET model-versions/get-download-uri</c>).</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The artifact URI (the file store's <c>storage_location</c>, else the source).</returns>
    Task<string> GetModelVersionDownloadUriAsync(string name, int version, CancellationToken cancellationToken = default);
}
