using Microsoft.ML;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Models;

/// <summary>Logs ML.NET models to a run in MLflow's model format (flavor <c>mlnet</c>).</summary>
public static class MlnetModelLogging
{
    /// <summary>The artifact folder a model is logged under unless told otherwise.</summary>
    public const string DefaultArtifactPath = "model";

    /// <summary>
    /// Saves a fitted model as an MLflow model folder (<c>MLmodel</c>, <c>model.zip</c>, signature, input example), stores it
    /// under the run's artifacts and records it in the run's <c>mlflow.log-model.history</c> tag, as MLflow's
    /// <c>log_model</c> does.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="mlContext">The ML.NET context the model was trained with.</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="inputSchema">The schema of the model's input.</param>
    /// <param name="options">Signature columns and input example; the run id and artifact path are filled in.</param>
    /// <param name="artifactPath">The artifact folder. The default value is <c>model</c>.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The model's URI, <c>runs:/&lt;run id&gt;/&lt;artifact path&gt;</c>.</returns>
    public static async Task<string> LogMlnetModelAsync(
        this ActiveRun run,
        MLContext mlContext,
        ITransformer model,
        DataViewSchema inputSchema,
        MlnetModelSaveOptions? options = null,
        string artifactPath = DefaultArtifactPath,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var saved = SavedMlnetModel.Save(run.RunId, mlContext, model, inputSchema, options, artifactPath);
        return await saved.LogAsync(run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads an ML.NET model logged in MLflow's format from a local folder, a <c>file:</c> URI, a <c>runs:/&lt;run id&gt;/&lt;path&gt;</c>
    /// URI or a registry URI (<c>models:/Name/3</c>, <c>models:/Name/Production</c>, <c>models:/Name@champion</c>,
    /// <c>models:/Name/latest</c>). Local artifacts are read in place; remote ones are downloaded into a temporary folder that is
    /// deleted once the model is loaded (the model's <see cref="MlnetModel.Folder"/> then names a folder that is gone).
    /// </summary>
    /// <param name="client">The tracking client that resolves <c>runs:/</c> and <c>models:/</c> URIs.</param>
    /// <param name="modelUri">The model's location.</param>
    /// <param name="mlContext">The ML.NET context to load into; null for a new one.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for a malformed URI, <see cref="ErrorCode.ResourceDoesNotExist"/> for a missing run or model.</exception>
    public static async Task<MlnetModel> LoadMlnetModelAsync(this MlflowClient client, string modelUri, MLContext? mlContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(modelUri);
        using var activity = MlWorkflow.Tracking.Diagnostics.MlflowDiagnostics.StartModelLoad(modelUri);

        // models:Name and runs:x lack the slash but are still registry or run URIs: their parser says what form is expected.
        var isLocal = !modelUri.Contains(":/", StringComparison.Ordinal) && !ModelUri.IsModelsUri(modelUri) && !ModelUri.IsRunsUri(modelUri);
        if (isLocal || modelUri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var local = modelUri.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? new Uri(modelUri).LocalPath : modelUri;
            return MlnetModel.Load(local, mlContext);
        }

        // runs:/ URIs need only the tracking store; models:/ URIs go through the registry. Local artifacts load in place.
        var artifactUri = await client.ResolveModelArtifactUriAsync(modelUri, cancellationToken).ConfigureAwait(false);

        var repository = client.Options.ArtifactRepositories.Create(artifactUri);
        if (repository is LocalArtifactRepository inPlace && Directory.Exists(inPlace.RootDirectory))
        {
            return MlnetModel.Load(inPlace.RootDirectory, mlContext);
        }

        // ML.NET reads the whole model into memory, so the downloaded copy is deleted once loaded.
        var download = Path.Combine(Path.GetTempPath(), "mlw-models", Guid.NewGuid().ToString("N"));
        try
        {
            var downloaded = await repository.DownloadAsync(null, download, cancellationToken).ConfigureAwait(false);
            return MlnetModel.Load(downloaded, mlContext);
        }
        finally
        {
            if (Directory.Exists(download))
            {
                Directory.Delete(download, recursive: true);
            }
        }
    }
}
