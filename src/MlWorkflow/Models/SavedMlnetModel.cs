using Microsoft.ML;
using MlWorkflow.Tracking;

namespace MlWorkflow.Models;

/// <summary>
/// An MLflow model folder (flavor <c>mlnet</c>) saved to a temporary folder for a run, ready to be stored as the run's
/// artifact. Saving and storing are apart so that the save can run while other work goes on (autologging saves the
/// model while the workflow evaluates it). Disposing deletes the temporary folder.
/// </summary>
public sealed class SavedMlnetModel : IDisposable
{
    private SavedMlnetModel(string folder, string artifactPath, MlModelFile metadata)
    {
        Folder = folder;
        ArtifactPath = artifactPath;
        Metadata = metadata;
    }

    /// <summary>The temporary folder holding <c>MLmodel</c>, <c>model.zip</c> and the input example.</summary>
    public string Folder { get; }

    /// <summary>The artifact folder the model is stored under.</summary>
    public string ArtifactPath { get; }

    /// <summary>The <c>MLmodel</c> metadata written.</summary>
    public MlModelFile Metadata { get; }

    /// <summary>Saves a fitted model for a run into a new temporary folder.</summary>
    /// <param name="runId">The run the model belongs to (written into <c>MLmodel</c>).</param>
    /// <param name="mlContext">The ML.NET context the model was trained with.</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="inputSchema">The schema of the model's input.</param>
    /// <param name="options">Signature columns and input example; the run id and artifact path are filled in.</param>
    /// <param name="artifactPath">The artifact folder. The default value is <c>model</c>.</param>
    /// <returns>The saved model; dispose it to delete the temporary folder.</returns>
    public static SavedMlnetModel Save(
        string runId,
        MLContext mlContext,
        ITransformer model,
        DataViewSchema inputSchema,
        MlnetModelSaveOptions? options = null,
        string artifactPath = MlnetModelLogging.DefaultArtifactPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var normalized = Tracking.Artifacts.ArtifactPath.Normalize(artifactPath);
        var folder = Path.Combine(Path.GetTempPath(), "mlw-model-" + Guid.NewGuid().ToString("N"));
        try
        {
            var metadata = MlnetModel.Save(folder, mlContext, model, inputSchema, new MlnetModelSaveOptions
            {
                RunId = runId,
                ArtifactPath = normalized,
                InputColumns = options?.InputColumns,
                InputExample = options?.InputExample,
                InputExampleRows = options?.InputExampleRows ?? 5,
            });
            return new SavedMlnetModel(folder, normalized, metadata);
        }
        catch
        {
            DeleteFolder(folder);
            throw;
        }
    }

    /// <summary>
    /// Stores the folder under the run's artifacts and records the model in the run's <c>mlflow.log-model.history</c>
    /// tag, as MLflow's <c>log_model</c> does.
    /// </summary>
    /// <param name="run">The run the model was saved for.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The model's URI, <c>runs:/&lt;run id&gt;/&lt;artifact path&gt;</c>.</returns>
    public async Task<string> LogAsync(ActiveRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.RunId != Metadata.RunId)
        {
            throw new InvalidOperationException($"The model was saved for run {Metadata.RunId}, not {run.RunId}.");
        }

        await run.LogArtifactAsync(Folder, ArtifactPath, cancellationToken).ConfigureAwait(false);
        await run.Client.Store.RecordLoggedModelAsync(run.RunId, Metadata.ToLogModelJson(), cancellationToken).ConfigureAwait(false);
        return $"runs:/{run.RunId}/{ArtifactPath}";
    }

    /// <summary>Deletes the temporary folder.</summary>
    public void Dispose() => DeleteFolder(Folder);

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
