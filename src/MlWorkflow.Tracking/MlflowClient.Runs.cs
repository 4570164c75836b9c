using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking;

/// <summary>The natural, MLflow-like entry points: runs by experiment name, runs that record failure, searches that page for you.</summary>
public sealed partial class MlflowClient
{
    /// <summary>
    /// Starts a run in the experiment of that name (created when missing, as <c>mlflow.set_experiment</c> does); see
    /// <see cref="StartRunAsync(Experiment?, string?, IReadOnlyDictionary{string, string}?, string?, string?, CancellationToken)"/>.
    /// </summary>
    /// <param name="experimentName">The experiment's name.</param>
    /// <param name="runName">The run name; null for a generated one.</param>
    /// <param name="tags">Tags to set at creation.</param>
    /// <param name="description">A Markdown description (the <c>mlflow.note.content</c> tag).</param>
    /// <param name="parentRunId">The parent run of a nested run (the <c>mlflow.parentRunId</c> tag).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The running run. <c>await using</c> ends it FINISHED even when an exception leaves the block (C# gives
    /// <c>DisposeAsync</c> no exception): use <see cref="RunAsync(string?, Func{ActiveRun, Task}, string?, CancellationToken)"/>
    /// to record failures as MLflow does.</returns>
    public async Task<ActiveRun> StartRunAsync(string experimentName, string? runName = null, IReadOnlyDictionary<string, string>? tags = null, string? description = null, string? parentRunId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentName);
        var experiment = await GetOrCreateExperimentAsync(experimentName, cancellationToken).ConfigureAwait(false);
        return await StartRunAsync(experiment, runName, tags, description, parentRunId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="body"/> inside a new run and ends the run as MLflow's <c>with mlflow.start_run():</c> does:
    /// FINISHED when the body completes, FAILED when it throws (the exception is rethrown), KILLED when it is cancelled
    /// (the <see cref="OperationCanceledException"/> is rethrown).
    /// </summary>
    /// <param name="experimentName">The experiment's name (created when missing); null to choose it from the environment as <see cref="StartRunAsync(Experiment?, string?, IReadOnlyDictionary{string, string}?, string?, string?, CancellationToken)"/> does.</param>
    /// <param name="body">The work to track.</param>
    /// <param name="runName">The run name; null for a generated one.</param>
    /// <param name="cancellationToken">Cancels the start of the run (the body gets its own token from the caller).</param>
    /// <returns>A task that completes when the run has ended.</returns>
    public Task RunAsync(string? experimentName, Func<ActiveRun, Task> body, string? runName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return RunAsync<bool>(
            experimentName,
            async run =>
            {
                await body(run).ConfigureAwait(false);
                return true;
            },
            runName,
            cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="body"/> inside a new run and returns its result; the run ends FINISHED, FAILED (exception, rethrown)
    /// or KILLED (cancellation, rethrown), as MLflow's <c>with mlflow.start_run():</c> does.
    /// </summary>
    /// <typeparam name="T">The body's result.</typeparam>
    /// <param name="experimentName">The experiment's name (created when missing); null to choose it from the environment.</param>
    /// <param name="body">The work to track.</param>
    /// <param name="runName">The run name; null for a generated one.</param>
    /// <param name="cancellationToken">Cancels the start of the run.</param>
    /// <returns>The body's result, once the run has ended FINISHED.</returns>
    public async Task<T> RunAsync<T>(string? experimentName, Func<ActiveRun, Task<T>> body, string? runName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var run = experimentName is null
            ? await StartRunAsync((Experiment?)null, runName, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await StartRunAsync(experimentName, runName, cancellationToken: cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = await body(run).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            var status = error is OperationCanceledException ? RunStatus.Killed : RunStatus.Failed;
            try
            {
                await run.EndAsync(status, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception endError) when (endError is MlflowException or InvalidOperationException or HttpRequestException or IOException)
            {
                // The body's exception is what the caller needs; the run's own failure to end is logged.
                run.ReportEndFailure(endError);
            }

            throw;
        }

        await run.EndAsync(RunStatus.Finished, CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Searches runs as MLflow's <c>mlflow.search_runs(experiment_names=..., filter_string=..., max_results=..., order_by=...)</c>
    /// does, following pages until <paramref name="maxResults"/> runs or the end.
    /// </summary>
    /// <param name="experimentNames">Experiments by name; each must exist. Null (with no <paramref name="experimentIds"/>) for the experiment of the environment (<c>MLFLOW_EXPERIMENT_NAME</c>, <c>MLFLOW_EXPERIMENT_ID</c>) or the default one.</param>
    /// <param name="filterString">MLflow's filter, such as <c>metrics.rmse &lt; 1 and params.model = 'tree'</c>; null for all runs.</param>
    /// <param name="maxResults">The most runs returned. The default value is 100,000, as MLflow's.</param>
    /// <param name="orderBy">Order clauses, such as <c>metrics.rmse ASC</c>; null for newest first.</param>
    /// <param name="runViewType">Active, deleted or all runs. The default value is <see cref="ViewType.ActiveOnly"/>.</param>
    /// <param name="experimentIds">Experiments by id, besides <paramref name="experimentNames"/>.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The runs, in order.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.ResourceDoesNotExist"/> for an experiment name that does not exist; <see cref="ErrorCode.InvalidParameterValue"/> for a bad filter or order.</exception>
    public async Task<IReadOnlyList<Run>> SearchRunsAsync(
        IReadOnlyList<string>? experimentNames = null,
        string? filterString = null,
        int maxResults = 100_000,
        IReadOnlyList<string>? orderBy = null,
        ViewType runViewType = ViewType.ActiveOnly,
        IReadOnlyList<string>? experimentIds = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResults);
        var ids = new List<string>(experimentIds ?? []);
        foreach (var name in experimentNames ?? [])
        {
            var experiment = await Store.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw MlflowException.NotFound($"Experiment '{Quote(name)}' does not exist (experimentNames of SearchRunsAsync). Check the name, or list experiments with SearchExperimentsAsync.");
            ids.Add(experiment.ExperimentId);
        }

        if (ids.Count == 0)
        {
            ids.Add(await ExperimentFromEnvironmentAsync(cancellationToken).ConfigureAwait(false));
        }

        return await Paging.CollectAsync(
            (token, wanted) => Store.SearchRunsAsync(
                new SearchRunsRequest
                {
                    ExperimentIds = ids,
                    Filter = string.IsNullOrWhiteSpace(filterString) ? null : filterString,
                    RunViewType = runViewType,
                    MaxResults = Math.Min(wanted, SearchRunsRequest.MaxResultsLimit),
                    OrderBy = orderBy ?? [],
                    PageToken = token,
                },
                cancellationToken),
            maxResults).ConfigureAwait(false);
    }

    /// <summary>Searches registered models, following pages until <paramref name="maxResults"/> or the end (as <c>mlflow.search_registered_models</c>).</summary>
    /// <param name="filterString">MLflow's filter, such as <c>name LIKE 'fraud%'</c>; null for all.</param>
    /// <param name="maxResults">The most models returned. The default value is 100,000.</param>
    /// <param name="orderBy">Order clauses, such as <c>name ASC</c>; null for the store's order.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The registered models.</returns>
    /// <exception cref="InvalidOperationException">When the client has no registry.</exception>
    public Task<IReadOnlyList<RegisteredModel>> SearchRegisteredModelsAsync(string? filterString = null, int maxResults = 100_000, IReadOnlyList<string>? orderBy = null, CancellationToken cancellationToken = default) =>
        Registry.SearchRegisteredModelsAsync(filterString, maxResults, orderBy, cancellationToken);

    /// <summary>Searches model versions, following pages until <paramref name="maxResults"/> or the end (as <c>mlflow.search_model_versions</c>).</summary>
    /// <param name="filterString">MLflow's filter, such as <c>name = 'fraud'</c>; null for all.</param>
    /// <param name="maxResults">The most versions returned. The default value is 100,000.</param>
    /// <param name="orderBy">Order clauses; null for the store's order.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The model versions.</returns>
    /// <exception cref="InvalidOperationException">When the client has no registry.</exception>
    public Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(string? filterString = null, int maxResults = 100_000, IReadOnlyList<string>? orderBy = null, CancellationToken cancellationToken = default) =>
        Registry.SearchModelVersionsAsync(filterString, maxResults, orderBy, cancellationToken);

    private static string Quote(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
