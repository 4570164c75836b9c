using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Autologging;

/// <summary>Where a tracked workflow run was recorded: the MLflow run, the logged model and the client to register it with.</summary>
public sealed class TrackedRun
{
    /// <summary>Creates the record of a tracked run.</summary>
    /// <param name="client">The tracking client that logged the run.</param>
    /// <param name="runId">The MLflow run id.</param>
    /// <param name="modelUri">The logged model's URI (<c>runs:/&lt;id&gt;/model</c>), or null when no model was logged.</param>
    public TrackedRun(MlflowClient client, string runId, string? modelUri)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        Client = client;
        RunId = runId;
        ModelUri = modelUri;
    }

    /// <summary>The tracking client that logged the run; it registers the model.</summary>
    public MlflowClient Client { get; }

    /// <summary>The MLflow run id.</summary>
    public string RunId { get; }

    /// <summary>The logged model's URI (<c>runs:/&lt;id&gt;/model</c>), or null when model logging was off.</summary>
    public string? ModelUri { get; }

    /// <summary>
    /// Registers the logged model (<see cref="ModelUri"/>) as a new version of a registered model, creating the model
    /// when it does not exist yet, as MLflow's <c>register_model</c> does.
    /// </summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version (stage <c>None</c>).</returns>
    /// <exception cref="InvalidOperationException">No model was logged (model logging was off).</exception>
    public Task<ModelVersion> RegisterAsync(string name, CancellationToken cancellationToken = default)
    {
        if (ModelUri is null)
        {
            throw new InvalidOperationException($"Run {RunId} logged no model: track with WorkflowTrackingOptions.LogModel = true (the default) before registering.");
        }

        return Client.Registry.RegisterModelAsync(ModelUri, name, cancellationToken: cancellationToken);
    }
}
