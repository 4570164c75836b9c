namespace MlWorkflow.Evaluation;

/// <summary>
/// Draws an evaluation's plots into files, for <c>Evaluate(plots: true)</c>. The MlWorkflow.Plots package provides one
/// (PNG files drawn with ScottPlot); set <see cref="WorkflowOptions.Plotter"/> to use another.
/// </summary>
public interface IEvaluationPlotter
{
    /// <summary>Writes every plot that fits the evaluation's task into <paramref name="folder"/>.</summary>
    /// <param name="data">The predictions behind the metrics, and the feature importance when it was computed.</param>
    /// <param name="folder">An existing folder for the files.</param>
    /// <param name="cancellationToken">Stops between plots.</param>
    /// <returns>The full paths of the files written, in the order they were drawn; they are logged as artifacts.</returns>
    IReadOnlyList<string> WritePlots(EvaluationPlotData data, string folder, CancellationToken cancellationToken);
}
