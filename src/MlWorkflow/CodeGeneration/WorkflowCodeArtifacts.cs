using MlWorkflow.Tracking;

namespace MlWorkflow.CodeGeneration;

/// <summary>Logs generated code as artifacts of a run (an AutoML parent run logs its winner's code this way).</summary>
public static class WorkflowCodeArtifacts
{
    /// <summary>The artifact folder the code goes to by default.</summary>
    public const string DefaultArtifactPath = "code";

    /// <summary>Logs the project's files and the notebook under <paramref name="artifactPath"/> (build outputs are not logged).</summary>
    /// <param name="run">The run.</param>
    /// <param name="code">What <see cref="WorkflowCodeGenerator.GenerateAsync"/> wrote.</param>
    /// <param name="artifactPath">The artifact folder. The default value is <c>code</c>.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>A task that completes when every file is stored.</returns>
    public static async Task LogGeneratedCodeAsync(this ActiveRun run, GeneratedWorkflowCode code, string artifactPath = DefaultArtifactPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(code);
        foreach (var file in code.Files)
        {
            await run.LogArtifactAsync(file, artifactPath, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Logs the project's files and the notebook on a run given by id (for example a workflow result's <c>Tracking.RunId</c>).</summary>
    /// <param name="client">The tracking client.</param>
    /// <param name="runId">The run.</param>
    /// <param name="code">What <see cref="WorkflowCodeGenerator.GenerateAsync"/> wrote.</param>
    /// <param name="artifactPath">The artifact folder. The default value is <c>code</c>.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>A task that completes when every file is stored.</returns>
    public static async Task LogGeneratedCodeAsync(this MlflowClient client, string runId, GeneratedWorkflowCode code, string artifactPath = DefaultArtifactPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(code);
        foreach (var file in code.Files)
        {
            await client.LogArtifactAsync(runId, file, artifactPath, cancellationToken).ConfigureAwait(false);
        }
    }
}
