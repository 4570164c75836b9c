using Microsoft.ML;
using MlWorkflow.Autologging;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Models;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Testing.Models;

/// <summary>
/// The release gate: evaluates a candidate model and the registry's current one (<c>models:/Name/Production</c> or
/// <c>models:/Name@champion</c>) on the same data and says whether the candidate is no worse by a margin; promotes it when asked.
/// </summary>
public static class ChampionChallenger
{
    private static readonly HashSet<string> LowerIsBetterMetrics = new(StringComparer.Ordinal)
    {
        MetricNames.Rmse, MetricNames.Mae, MetricNames.Mse, MetricNames.LogLoss, MetricNames.Entropy,
        MetricNames.FalsePositives, MetricNames.FalseNegatives,
    };

    /// <summary>Evaluates the candidate and the champion on the same data.</summary>
    /// <param name="client">The client that resolves the champion's URI.</param>
    /// <param name="candidate">The candidate's fitted model (such as <see cref="WorkflowResult.Model"/>).</param>
    /// <param name="championUri">The champion's model URI, such as <c>models:/cars/Production</c> or <c>models:/cars@champion</c>.</param>
    /// <param name="data">The data both are evaluated on, with the label column.</param>
    /// <param name="options">The task, metric, margin and label column.</param>
    /// <param name="cancellationToken">Cancels loading the champion.</param>
    /// <returns>The comparison; <see cref="ChallengeResult.ThrowIfFailed"/> fails a test when the candidate is worse.</returns>
    /// <exception cref="KeyNotFoundException">The metric is not among those of the task; the message lists those there are.</exception>
    /// <exception cref="ArgumentException">The data lacks the label column.</exception>
    public static async Task<ChallengeResult> CompareAsync(
        MlflowClient client, ITransformer candidate, string championUri, IDataView data, ChallengeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentException.ThrowIfNullOrEmpty(championUri);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var mlContext = new MLContext(seed: 0);
        if (data.Schema.GetColumnOrNull(options.LabelColumn) is null)
        {
            // A label a workflow derives (Log1p("sales", "log_sales")) is made by its label steps, which are not part of the model.
            throw new ArgumentException(
                $"The data has no label column '{options.LabelColumn}' to evaluate the models against: add it to the golden data (a label the workflow derives, such as a log of a column, computed the same way).",
                nameof(data));
        }

        var champion = await client.LoadMlnetModelAsync(championUri, mlContext, cancellationToken).ConfigureAwait(false);
        var candidateMetrics = ModelEvaluator.Evaluate(mlContext, candidate.Transform(data), options.Task, options.LabelColumn);
        var championMetrics = ModelEvaluator.Evaluate(mlContext, champion.Transformer.Transform(data), options.Task, options.LabelColumn);
        var lowerIsBetter = options.LowerIsBetter ?? LowerIsBetterMetrics.Contains(options.Metric);
        var digest = (await DataSource.FromDataView(data, "golden").DescribeAsync(mlContext, cancellationToken).ConfigureAwait(false)).Digest;
        int? version = null;
        var championRun = champion.Metadata.RunId;
        if (ModelUri.IsModelsUri(championUri))
        {
            var resolved = await client.Registry.GetModelVersionAsync(championUri, cancellationToken).ConfigureAwait(false);
            version = resolved.Version;
            championRun = resolved.RunId ?? championRun;
        }

        foreach (var (name, metrics) in new[] { ("candidate", candidateMetrics), ("champion", championMetrics) })
        {
            if (!metrics.ContainsKey(options.Metric))
            {
                throw new KeyNotFoundException($"Metric '{options.Metric}' is not among the {name}'s metrics for {options.Task}: {string.Join(", ", metrics.Keys.Take(20))}.");
            }
        }

        return new ChallengeResult(championUri, options, lowerIsBetter, candidateMetrics, championMetrics, digest, version, championRun);
    }

    /// <summary>Registers a tracked candidate as a new version and points an alias at it, when it passed the comparison.</summary>
    /// <param name="result">The comparison.</param>
    /// <param name="candidate">The candidate's tracked run (<see cref="WorkflowResult.Tracking"/>), with its logged model.</param>
    /// <param name="registeredModelName">The registered model's name.</param>
    /// <param name="alias">The alias to move to the new version. The default value is <c>champion</c>.</param>
    /// <param name="cancellationToken">Cancels the registration.</param>
    /// <returns>The new version, or null when the candidate did not pass (nothing is registered then).</returns>
    public static async Task<ModelVersion?> PromoteIfPassedAsync(
        ChallengeResult result, TrackedRun candidate, string registeredModelName, string alias = "champion", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentException.ThrowIfNullOrEmpty(registeredModelName);
        ArgumentException.ThrowIfNullOrEmpty(alias);
        if (!result.Passed)
        {
            return null;
        }

        var version = await candidate.RegisterAsync(registeredModelName, cancellationToken).ConfigureAwait(false);
        await candidate.Client.Registry.SetAliasAsync(registeredModelName, alias, version.Version, cancellationToken).ConfigureAwait(false);
        return version;
    }
}
