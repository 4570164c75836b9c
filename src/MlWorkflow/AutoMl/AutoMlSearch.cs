namespace MlWorkflow.AutoMl;

/// <summary>
/// A configured AutoML search over a workflow's data and label, made by <see cref="Workflow.AutoMl"/>:
/// <code>
/// using var result = await Workflow.Create(seed: 42)
///     .Load(DataSource.Csv("diamonds.csv"))
///     .Label("price")
///     .AutoMl(o =&gt; o.Budget(TimeSpan.FromSeconds(60)).Metric("rmse"))
///     .RunAsync(cancellationToken);
/// Console.WriteLine($"{result.BestTrainer}: test RMSE {result.TestMetrics.Rmse}");
/// </code>
/// The workflow's feature steps run first (a step that writes the label prepares it, as in any workflow); the search adds
/// its own featurisation, fitted on training rows only, then tries the catalog's trainers.
/// </summary>
public sealed class AutoMlSearch
{
    private readonly WorkflowDefinition _definition;

    internal AutoMlSearch(WorkflowDefinition definition, AutoMlOptions options)
    {
        _definition = definition;
        Options = options;
    }

    /// <summary>The search's options.</summary>
    public AutoMlOptions Options { get; }

    /// <summary>
    /// Runs the search: holds out the test rows, featurises, runs trials until the budget or the trial count is spent,
    /// refits the winner on all the search rows, scores it on the test rows, and records everything when tracked.
    /// </summary>
    /// <param name="cancellationToken">Stops the search (the trial in progress too) and throws.</param>
    /// <returns>The result; dispose it to delete the final run's temporary files.</returns>
    /// <exception cref="WorkflowValidationException">The workflow has no data or no label, or the label does not suit the task.</exception>
    /// <exception cref="ArgumentException">The metric or a trainer name is unknown for the task.</exception>
    /// <exception cref="AutoMlException">No trial succeeded within the budget.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Task<AutoMlResult> RunAsync(CancellationToken cancellationToken = default) =>
        AutoMlEngine.RunAsync(_definition, Options, cancellationToken);
}
