using System.Text.Json;

namespace MlWorkflow.Server.Tests.Server;

/// <summary><c>GET metrics/get-history-bulk-interval</c> over HTTP: MLflow's sampling (its documented examples), range and parameter checks.</summary>
[TestFixture]
public sealed class HistoryBulkIntervalTests : ServerFixture
{
    private const string Route = "/api/2.0/mlflow/metrics/get-history-bulk-interval";

    [TestCase("max_results=10", new long[] { 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99 })]
    [TestCase("max_results=3", new long[] { 0, 33, 66, 99 })]
    [TestCase("start_step=10&end_step=50&max_results=4", new long[] { 10, 20, 30, 40, 50 })]
    [TestCase("start_step=60&end_step=99&max_results=4", new long[] { 99 })]
    public async Task One_run_of_a_hundred_steps_is_sampled_as_mlflow_does(string query, long[] expected)
    {
        var a = await RunWithStepsAsync(Enumerable.Range(0, 100).Select(i => (long)i));

        var (status, body) = await GetAsync($"{Route}?run_ids={a}&metric_key=loss&{query}");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(Steps(body, a), Is.EqualTo(expected));
    }

    [Test]
    public async Task Two_runs_share_one_sample_plus_each_run_s_first_and_last_step()
    {
        var a = await RunWithStepsAsync(Enumerable.Range(0, 100).Select(i => (long)i));
        var b = await RunWithStepsAsync(Enumerable.Range(5, 10).Select(i => (long)i).Append(200).Append(7));

        var (_, both) = await GetAsync($"{Route}?run_ids={a}&run_ids={b}&metric_key=loss&max_results=5");
        var (_, onlyB) = await GetAsync($"{Route}?run_ids={b}&metric_key=loss&max_results=3");
        var (_, seven) = await GetAsync($"/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids={b}&metric_key=loss&start_step=7&end_step=7");

        Assert.That(Steps(both, a), Is.EqualTo(new long[] { 0, 5, 20, 40, 60, 80, 99 }));
        Assert.That(Steps(both, b), Is.EqualTo(new long[] { 5, 200 }));
        Assert.That(Steps(onlyB, b), Is.EqualTo(new long[] { 5, 8, 12, 200 }));
        Assert.That(Steps(seven, b), Is.EqualTo(new long[] { 7, 7 }), "both points at step 7");
    }

    [Test]
    public async Task Negative_steps_come_back_only_with_an_explicit_range_and_points_carry_their_run_id()
    {
        var run = await RunWithStepsAsync(Enumerable.Range(-5, 9).Select(i => (long)i));

        var (_, plain) = await GetAsync($"{Route}?run_ids={run}&metric_key=loss");
        var (_, ranged) = await GetAsync($"{Route}?run_ids={run}&metric_key=loss&start_step=-5&end_step=3&max_results=3");
        var (_, unknownKey) = await GetAsync($"{Route}?run_ids={run}&metric_key=nothing");

        Assert.That(Steps(plain, run), Is.EqualTo(new long[] { 0, 1, 2, 3 }));
        Assert.That(Steps(ranged, run), Is.EqualTo(new long[] { -5, -2, 1, 3 }));
        var point = plain.GetProperty("metrics")[0];
        Assert.That(point.GetProperty("run_id").GetString(), Is.EqualTo(run));
        Assert.That(point.GetProperty("key").GetString(), Is.EqualTo("loss"));
        Assert.That(point.GetProperty("value").GetDouble(), Is.EqualTo(0.5));
        Assert.That(unknownKey.EnumerateObject().Count(), Is.Zero, "no points: {}");
    }

    [TestCase("metric_key=loss", "Missing value for required parameter 'run_ids'. See the API docs for more information about request parameters.")]
    [TestCase("run_ids=RUN", "Missing value for required parameter 'metric_key'. See the API docs for more information about request parameters.")]
    [TestCase("run_ids=RUN&metric_key=loss&max_results=abc", "Invalid value \"abc\" for parameter 'max_results' supplied:  Hint: Value was of type 'str'. See the API docs for more information about request parameters.")]
    [TestCase("run_ids=RUN&metric_key=loss&max_results=2501", "max_results must be between 1 and 2500. See the API docs for more information about request parameters.")]
    [TestCase("run_ids=RUN&metric_key=loss&start_step=3", "If either start step or end step are specified, both must be specified.")]
    [TestCase("run_ids=RUN&metric_key=loss&start_step=50&end_step=10", "end_step must be greater than start_step. Found start_step=50 and end_step=10.")]
    public async Task Bad_parameters_are_400s_with_mlflow_s_messages(string query, string message)
    {
        var run = await RunWithStepsAsync([0]);

        var (status, body) = await GetAsync($"{Route}?{query.Replace("RUN", run, StringComparison.Ordinal)}");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("INVALID_PARAMETER_VALUE"));
        Assert.That(body.GetProperty("message").GetString(), Is.EqualTo(message));
    }

    [Test]
    public async Task More_than_a_hundred_runs_and_unknown_runs_are_refused()
    {
        var tooMany = string.Join('&', Enumerable.Range(0, 101).Select(i => $"run_ids=r{i}"));

        var (many, manyBody) = await GetAsync($"{Route}?{tooMany}&metric_key=loss");
        var (unknown, unknownBody) = await GetAsync($"{Route}?run_ids=0123456789abcdef0123456789abcdef&metric_key=loss");

        Assert.That(many, Is.EqualTo(400));
        Assert.That(manyBody.GetProperty("message").GetString(), Does.StartWith("GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids."));
        Assert.That(unknown, Is.EqualTo(404));
        Assert.That(unknownBody.GetProperty("error_code").GetString(), Is.EqualTo("RESOURCE_DOES_NOT_EXIST"));
    }

    private static long[] Steps(JsonElement body, string runId) =>
        body.TryGetProperty("metrics", out var metrics)
            ? [.. metrics.EnumerateArray().Where(m => m.GetProperty("run_id").GetString() == runId).Select(m => m.GetProperty("step").GetInt64())]
            : [];

    private async Task<string> RunWithStepsAsync(IEnumerable<long> steps)
    {
        var experimentId = (await FileStore.GetExperimentByNameAsync("history"))?.ExperimentId ?? await FileStore.CreateExperimentAsync("history");
        var runId = (await FileStore.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = 1_700_000_000_000 })).Info.RunId;
        var metrics = steps.Select((s, i) => new Metric("loss", s == 0 ? 0.5 : s, 1_000 + i, s)).ToArray();
        await FileStore.LogBatchAsync(runId, metrics, [], []);
        return runId;
    }
}
