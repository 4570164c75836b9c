namespace MlWorkflow.AutoMl;

/// <summary>
/// Writes files about a finished search (generated code, a data summary, ...) that are logged as artifacts of the
/// search's run under <see cref="ArtifactPath"/>. Add one with <see cref="AutoMlOptions.WriteArtifacts"/>; it runs after
/// the final refit, inside the time budget.
/// </summary>
public interface IAutoMlArtifactWriter
{
    /// <summary>The artifact folder the files are logged under (for example <c>code</c>).</summary>
    string ArtifactPath { get; }

    /// <summary>Writes the files into <paramref name="folder"/> (an empty temporary folder, deleted afterwards).</summary>
    /// <param name="result">The search: its best workflow (<see cref="AutoMlResult.BestWorkflow"/>), trials and metrics.</param>
    /// <param name="folder">Where to write.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>A task that completes when the files are written.</returns>
    Task WriteAsync(AutoMlResult result, string folder, CancellationToken cancellationToken);
}
