using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MlWorkflow.CodeGeneration;

/// <summary>
/// Writes a <see cref="Workflow"/> as code you can customise: a C# console project (<c>Program.cs</c> + <c>.csproj</c>)
/// that retrains the same pipeline with the public workflow API and logs it to MLflow, and a Polyglot/Jupyter notebook
/// that explores the data and trains the same way.
/// <code>
/// var code = await new WorkflowCodeGenerator().GenerateAsync(
///     workflow, "data/sales.parquet", DataFileFormat.Parquet, experiment: "sales", outputFolder: "sales-training");
/// </code>
/// Each feature step is written as its <see cref="Features.FeaturePipelineBuilder"/> call and the trainer as its
/// <c>Trainers.&lt;Task&gt;.&lt;Name&gt;(...)</c> call with every hyperparameter that differs from its default, so the same
/// data and seed give the same metrics. A step or trainer with no C# form (a custom mapping, a custom trainer, a trainer
/// made from an ML.NET options object with settings that are not catalog hyperparameters) makes generation fail before
/// any file is written.
/// </summary>
public sealed partial class WorkflowCodeGenerator
{
    private readonly ILogger _logger;

    /// <summary>Creates a generator.</summary>
    /// <param name="logger">Where to say what was written. The default is none.</param>
    public WorkflowCodeGenerator(ILogger? logger = null) => _logger = logger ?? NullLogger.Instance;

    /// <summary>Writes the project and the notebook into <paramref name="outputFolder"/> (created when missing).</summary>
    /// <param name="workflow">The workflow, with its label and trainer set.</param>
    /// <param name="dataPath">The data file the code reads (written as a full path; the program also takes it as its first argument).</param>
    /// <param name="format">The data file's format.</param>
    /// <param name="experiment">The MLflow experiment the code logs to.</param>
    /// <param name="outputFolder">The folder for the files.</param>
    /// <param name="options">Project name, package version or local checkout, overwrite. The default is <see cref="WorkflowCodeGenerationOptions"/>' defaults.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>The files written.</returns>
    /// <exception cref="WorkflowCodeGenerationException">
    /// A step or the trainer has no C# form, the label or trainer is missing, the project name is not a plain file name,
    /// a local checkout lacks a package's project, or a file exists and <see cref="WorkflowCodeGenerationOptions.Overwrite"/> is off.
    /// Nothing is written then.
    /// </exception>
    public async Task<GeneratedWorkflowCode> GenerateAsync(
        Workflow workflow,
        string dataPath,
        DataFileFormat format,
        string experiment,
        string outputFolder,
        WorkflowCodeGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(experiment);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown data file format.");
        }

        options ??= new WorkflowCodeGenerationOptions();
        CheckProjectName(options.ProjectName);
        var parts = WorkflowCodeParts.From(workflow, dataPath, format, experiment, options);
        if (options.LocalSourceFolder is { } local)
        {
            foreach (var package in parts.Packages)
            {
                var project = ProjectWriter.LocalProject(local, package);
                if (!File.Exists(project))
                {
                    throw new WorkflowCodeGenerationException("Output", package, $"the local checkout has no project {Shorten(project)}; give the checkout's src folder as LocalSourceFolder.");
                }
            }
        }

        var folder = Path.GetFullPath(outputFolder);
        var files = new (string Path, string Text)[]
        {
            (Path.Combine(folder, options.ProjectName + ".csproj"), ProjectWriter.ProjectFile(parts, options.LocalSourceFolder)),
            (Path.Combine(folder, "Program.cs"), ProjectWriter.Program(parts, options.ProjectName)),
            (Path.Combine(folder, "Directory.Build.props"), ProjectWriter.BuildProps()),
            (Path.Combine(folder, options.ProjectName + ".ipynb"), NotebookWriter.Notebook(parts, options.ProjectName)),
        };
        if (!options.Overwrite && files.FirstOrDefault(f => File.Exists(f.Path)) is { Path: { } existing })
        {
            throw new WorkflowCodeGenerationException(
                "Output", Path.GetFileName(existing), $"{Shorten(existing)} exists and may hold your edits; choose another folder or set Overwrite.");
        }

        Directory.CreateDirectory(folder);
        foreach (var (path, text) in files)
        {
            await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        }

        Log.Generated(_logger, options.ProjectName, parts.TrainerExpression, folder);
        return new GeneratedWorkflowCode(folder, files[0].Path, files[1].Path, files[2].Path, files[3].Path, parts.Packages);
    }

    private static void CheckProjectName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.StartsWith('.')
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new WorkflowCodeGenerationException(
                "Output", Shorten(name ?? string.Empty), "the project name must be 1 to 100 ASCII letters, digits, '.', '_' or '-', not starting with '.'.");
        }
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Generated project and notebook {Project} (trainer {Trainer}) in {Folder}")]
        public static partial void Generated(ILogger logger, string project, string trainer, string folder);
    }
}
