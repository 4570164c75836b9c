using MlWorkflow.CodeGeneration;

namespace MlWorkflow.AutoMl;

/// <summary>
/// The AutoML seam in use: writes the winner as a C# project and a notebook (<see cref="WorkflowCodeGenerator"/>), logged
/// under <c>code/</c> of the search's run. A winner that has no C# form gets a note saying why instead of failing the search.
/// </summary>
internal sealed class GeneratedCodeWriter(string dataPath, DataFileFormat format, Func<string> experiment) : IAutoMlArtifactWriter
{
    public string ArtifactPath => "code";

    public async Task WriteAsync(AutoMlResult result, string folder, CancellationToken cancellationToken)
    {
        try
        {
            await new WorkflowCodeGenerator().GenerateAsync(result.BestWorkflow, Path.GetFullPath(dataPath), format, experiment(), folder, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowCodeGenerationException e)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "NOT_GENERATED.txt"), $"The winning workflow could not be written as code: {e.Message}\n", cancellationToken).ConfigureAwait(false);
        }
    }
}
