namespace MlWorkflow.CodeGeneration;

/// <summary>The files <see cref="WorkflowCodeGenerator"/> wrote.</summary>
public sealed class GeneratedWorkflowCode
{
    internal GeneratedWorkflowCode(string folder, string projectFile, string programFile, string buildPropsFile, string notebookFile, IReadOnlyList<string> packages)
    {
        Folder = folder;
        ProjectFile = projectFile;
        ProgramFile = programFile;
        BuildPropsFile = buildPropsFile;
        NotebookFile = notebookFile;
        Packages = packages;
    }

    /// <summary>The output folder (full path).</summary>
    public string Folder { get; }

    /// <summary>The console project (<c>&lt;ProjectName&gt;.csproj</c>): build and run it with <c>dotnet run</c>.</summary>
    public string ProjectFile { get; }

    /// <summary>The program (<c>Program.cs</c>) that retrains the workflow and logs it to MLflow.</summary>
    public string ProgramFile { get; }

    /// <summary>The <c>Directory.Build.props</c> that keeps the settings of folders above out of the project's build.</summary>
    public string BuildPropsFile { get; }

    /// <summary>The Polyglot/Jupyter notebook (<c>&lt;ProjectName&gt;.ipynb</c>): data exploration, then training.</summary>
    public string NotebookFile { get; }

    /// <summary>Every file written, in the order above (project, program, build props, notebook).</summary>
    public IReadOnlyList<string> Files => [ProjectFile, ProgramFile, BuildPropsFile, NotebookFile];

    /// <summary>The MlWorkflow packages the code references (<c>MlWorkflow</c> first).</summary>
    public IReadOnlyList<string> Packages { get; }
}
