namespace MlWorkflow.CodeGeneration;

/// <summary>How <see cref="WorkflowCodeGenerator"/> writes a project and a notebook.</summary>
public sealed class WorkflowCodeGenerationOptions
{
    /// <summary>
    /// The project's name: the <c>.csproj</c> and <c>.ipynb</c> file names. Letters, digits, <c>.</c>, <c>_</c> and <c>-</c>
    /// only. The default value is <c>MlWorkflowTraining</c>.
    /// </summary>
    public string ProjectName { get; init; } = "MlWorkflowTraining";

    /// <summary>
    /// The version of the MlWorkflow packages the project and the notebook reference. The default is null: the version of
    /// the MlWorkflow assembly that generates the code.
    /// </summary>
    public string? PackageVersion { get; init; }

    /// <summary>
    /// A local checkout's <c>src</c> folder (holding <c>MlWorkflow/MlWorkflow.csproj</c>, ...): the project then references
    /// the packages' projects there (<c>ProjectReference</c>) instead of the NuGet packages, so it builds against that
    /// checkout without a package feed. The notebook keeps its <c>#r "nuget: ..."</c> lines. The default is null (packages).
    /// </summary>
    public string? LocalSourceFolder { get; init; }

    /// <summary>The MLflow run name the generated code gives its run. The default is null (a generated name).</summary>
    public string? RunName { get; init; }

    /// <summary>
    /// Whether files of an earlier generation in the output folder may be replaced. The default value is false: generation
    /// refuses rather than overwrite a <c>Program.cs</c> that may have been edited.
    /// </summary>
    public bool Overwrite { get; init; }
}
