namespace MlWorkflow.Evaluation;

/// <summary>
/// The plotter of MlWorkflow.Plots: PNG files drawn with ScottPlot (see <see cref="EvaluationPlots"/> for the files of each task).
/// A run that asks for plots uses it with no code when this package is referenced; set it in
/// <see cref="WorkflowOptions.Plotter"/> to say so explicitly.
/// </summary>
public sealed class ScottPlotEvaluationPlotter : IEvaluationPlotter
{
    /// <inheritdoc/>
    public IReadOnlyList<string> WritePlots(EvaluationPlotData data, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return EvaluationPlots.WriteAll(data, folder, cancellationToken);
    }
}
