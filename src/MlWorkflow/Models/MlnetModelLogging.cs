using Microsoft.ML;
using MlWorkflow.Tracking;

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
        var normalized = Tracking.Artifacts.ArtifactPath.Normalize(artifactPath);
        var folder = Path.Combine(Path.GetTempPath(), "mlw-model-" + Guid.NewGuid().ToString("N"));
        try
        {
            var metadata = MlnetModel.Save(folder, mlContext, model, inputSchema, new MlnetModelSaveOptions
            {
                RunId = run.RunId,
                ArtifactPath = normalized,
                InputColumns = options?.InputColumns,
                InputExample = options?.InputExample,
                InputExampleRows = options?.InputExampleRows ?? 5,
            });
            await run.LogArtifactAsync(folder, normalized, cancellationToken).ConfigureAwait(false);
            await run.Client.Store.RecordLoggedModelAsync(run.RunId, metadata.ToLogModelJson(), cancellationToken).ConfigureAwait(false);
            return $"runs:/{run.RunId}/{normalized}";
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>
    /// Loads an ML.NET model logged in MLflow's format from a local folder, a <c>file:</c> URI or a <c>runs:/&lt;run id&gt;/&lt;path&gt;</c>
    /// URI (downloaded through the client into a local cache folder).
    /// </summary>
    /// <param name="client">The tracking client that resolves <c>runs:/</c> URIs.</param>
    /// <param name="modelUri">The model's location.</param>
    /// <param name="mlContext">The ML.NET context to load into; null for a new one.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for a malformed URI, <see cref="ErrorCode.ResourceDoesNotExist"/> for a missing run or model.</exception>
    public static async Task<MlnetModel> LoadMlnetModelAsync(this MlflowClient client, string modelUri, MLContext? mlContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(modelUri);
        if (!modelUri.StartsWith("runs:/", StringComparison.Ordinal))
        {
            var local = modelUri.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? new Uri(modelUri).LocalPath : modelUri;
            return MlnetModel.Load(local, mlContext);
        }

        var rest = modelUri["runs:/".Length..].TrimStart('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var runId = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? string.Empty : rest[(slash + 1)..];
        if (runId.Length == 0)
        {
            throw MlflowException.InvalidParameter($"Model URI '{modelUri}' has no run id: use runs:/<run id>/<artifact path>.");
        }

        var cache = Path.Combine(Path.GetTempPath(), "mlw-models", runId, Guid.NewGuid().ToString("N"));
        var downloaded = await client.DownloadArtifactsAsync(runId, path, cache, cancellationToken).ConfigureAwait(false);
        return MlnetModel.Load(downloaded, mlContext);
    }
}
