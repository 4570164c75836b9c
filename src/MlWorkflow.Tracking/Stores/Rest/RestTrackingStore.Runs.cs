using System.Globalization;
using MlWorkflow.Tracking.Protocol;

namespace MlWorkflow.Tracking.Stores.Rest;

/// <summary>Runs, logging, history and search over REST.</summary>
public sealed partial class RestTrackingStore
{
    /// <inheritdoc />
    public async Task<Run> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new CreateRunBody
        {
            ExperimentId = request.ExperimentId,
            UserId = request.UserId,
            RunName = request.RunName,
            StartTime = request.StartTime ?? _transport.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            Tags = request.Tags.Count > 0 ? request.Tags.Select(t => RestMapping.ToMessage(t.Key, t.Value)).ToList() : null,
        };
        var response = await _transport.PostAsync("runs/create", body, RestJsonContext.Default.CreateRunBody, RestJsonContext.Default.RunResponse, cancellationToken).ConfigureAwait(false);
        return RestMapping.ToEntity(response.Run ?? throw Malformed("runs/create", "run"));
    }

    /// <inheritdoc />
    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetAsync("runs/get", [new("run_id", runId)], RestJsonContext.Default.RunResponse, cancellationToken).ConfigureAwait(false);
        return RestMapping.ToEntity(response.Run ?? throw Malformed("runs/get", "run"));
    }

    /// <inheritdoc />
    public async Task<RunInfo> UpdateRunInfoAsync(string runId, RunStatus status, long? endTime, string? runName = null, CancellationToken cancellationToken = default)
    {
        var body = new UpdateRunBody { RunId = runId, Status = RestMapping.ToWire(status), EndTime = endTime, RunName = runName };
        var response = await _transport.PostAsync("runs/update", body, RestJsonContext.Default.UpdateRunBody, RestJsonContext.Default.UpdateRunResponse, cancellationToken).ConfigureAwait(false);
        return RestMapping.ToEntity(response.RunInfo ?? throw Malformed("runs/update", "run_info"));
    }

    /// <inheritdoc />
    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default) =>
        PostAsync("runs/delete", new RunIdBody { RunId = runId }, RestJsonContext.Default.RunIdBody, cancellationToken);

    /// <inheritdoc />
    public Task RestoreRunAsync(string runId, CancellationToken cancellationToken = default) =>
        PostAsync("runs/restore", new RunIdBody { RunId = runId }, RestJsonContext.Default.RunIdBody, cancellationToken);

    /// <inheritdoc />
    /// <remarks>One <c>runs/log-batch</c> request, retried as a whole; MlWorkflow's server applies it at most once (see the class remarks).</remarks>
    public Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tags);
        var body = new LogBatchBody
        {
            RunId = runId,
            Metrics = metrics.Count > 0 ? metrics.Select(RestMapping.ToMessage).ToList() : null,
            Params = parameters.Count > 0 ? parameters.Select(p => RestMapping.ToMessage(p.Key, p.Value)).ToList() : null,
            Tags = tags.Count > 0 ? tags.Select(t => RestMapping.ToMessage(t.Key, t.Value)).ToList() : null,
        };
        return PostAsync("runs/log-batch", body, RestJsonContext.Default.LogBatchBody, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken = default) =>
        PostAsync("runs/delete-tag", new RunKeyValueBody { RunId = runId, Key = key }, RestJsonContext.Default.RunKeyValueBody, cancellationToken);

    /// <inheritdoc />
    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        var body = new LogInputsBody { RunId = runId, Datasets = datasets.Select(RestMapping.ToMessage).ToList() };
        return PostAsync("runs/log-inputs", body, RestJsonContext.Default.LogInputsBody, cancellationToken);
    }

    /// <inheritdoc />
    public Task RecordLoggedModelAsync(string runId, string modelJson, CancellationToken cancellationToken = default) =>
        PostAsync("runs/log-model", new LogModelBody { RunId = runId, ModelJson = modelJson }, RestJsonContext.Default.LogModelBody, cancellationToken);

    /// <inheritdoc />
    /// <remarks>MLflow 2.x servers ignore paging here and answer every value; MlWorkflow's server pages as MLflow 3 does.</remarks>
    public async Task<PagedList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, int? maxResults = null, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var query = new KeyValuePair<string, string?>[]
        {
            new("run_id", runId),
            new("metric_key", metricKey),
            new("max_results", maxResults?.ToString(CultureInfo.InvariantCulture)),
            new("page_token", pageToken),
        };
        var response = await _transport.GetAsync("metrics/get-history", query, RestJsonContext.Default.MetricHistoryResponse, cancellationToken).ConfigureAwait(false);
        return new PagedList<Metric>((response.Metrics ?? []).Select(RestMapping.ToEntity).ToArray(), NullIfEmpty(response.NextPageToken));
    }

    /// <inheritdoc />
    public async Task<PagedList<Run>> SearchRunsAsync(SearchRunsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new SearchRunsBody
        {
            ExperimentIds = [.. request.ExperimentIds],
            Filter = request.Filter,
            RunViewType = RestMapping.ToWire(request.RunViewType),
            MaxResults = request.MaxResults,
            OrderBy = request.OrderBy.Count > 0 ? [.. request.OrderBy] : null,
            PageToken = request.PageToken,
        };
        var response = await _transport.PostAsync("runs/search", body, RestJsonContext.Default.SearchRunsBody, RestJsonContext.Default.SearchRunsResponse, cancellationToken).ConfigureAwait(false);
        return new PagedList<Run>((response.Runs ?? []).Select(RestMapping.ToEntity).ToArray(), NullIfEmpty(response.NextPageToken));
    }
}
