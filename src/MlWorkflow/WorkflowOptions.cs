using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MlWorkflow.Evaluation;

namespace MlWorkflow;

/// <summary>How a workflow reports what it does and where it keeps temporary files.</summary>
public sealed class WorkflowOptions
{
    /// <summary>
    /// Receives one line per stage (load, features, fit, evaluate, plots) with its duration, and failures. The default
    /// value is <see cref="NullLogger.Instance"/> (nothing is logged).
    /// </summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// The folder under which runs write temporary files (plots when <c>Evaluate(plots: true)</c> names no folder):
    /// each run writes a <c>plots-&lt;id&gt;</c> folder that <see cref="WorkflowResult.Dispose"/> deletes, and each run
    /// deletes <c>plots-*</c> folders older than <see cref="TemporaryFileLifetime"/> left by results never disposed.
    /// The default value is <c>&lt;temp&gt;/mlworkflow</c> (<see cref="Path.GetTempPath"/>).
    /// </summary>
    public string TemporaryFolder { get; init; } = Path.Combine(Path.GetTempPath(), "mlworkflow");

    /// <summary>How old a left-over temporary folder must be before a later run deletes it. The default value is 24 hours.</summary>
    public TimeSpan TemporaryFileLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Draws the plots of <c>Evaluate(plots: true)</c>. The default value is null: the plotter of the MlWorkflow.Plots
    /// package when it is referenced (see <see cref="FindPlotsPackage"/>).
    /// </summary>
    public IEvaluationPlotter? Plotter { get; init; }

    /// <summary>
    /// Whether a run that asks for plots and sets no <see cref="Plotter"/> looks for the MlWorkflow.Plots package: it
    /// loads the <c>MlWorkflow.Plots</c> assembly by name, once per process, and uses its plotter. With false, or without
    /// the package, such a run fails before training with a <see cref="WorkflowValidationException"/> that says
    /// <c>dotnet add package MlWorkflow.Plots</c>. The default value is true.
    /// </summary>
    public bool FindPlotsPackage { get; init; } = true;
}
