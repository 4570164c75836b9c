using System.Text.Json;

namespace MlWorkflow.Server.Tests.Server;

/// <summary>The server's JSON, status codes and error bodies, as MLflow's (MLflow's REST API documentation, https://mlflow.org/docs/latest/rest-api.html).</summary>
[TestFixture]
public sealed class TrackingWireFormatTests : ServerFixture
{
    [Test]
    public async Task Health_and_version_answer_text()
    {
        var health = await Http.GetStringAsync("/health");
        var version = await Http.GetStringAsync("/version");

        Assert.That(health, Is.EqualTo("OK"));
        Assert.That(version, Is.EqualTo(TrackingServer.Version));
    }

    [Test]
    public async Task Post_without_a_content_type_is_refused_as_mlflow_does()
    {
        var (status, body, _) = await PostAsync("/api/2.0/mlflow/experiments/create", "{\"name\": \"x\"}", contentType: null);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("INVALID_PARAMETER_VALUE"));
        Assert.That(body.GetProperty("message").GetString(), Is.EqualTo("Bad Request. Content-Type header is missing."));
    }

    [Test]
    public async Task Post_with_another_content_type_is_refused_as_mlflow_does()
    {
        var (status, body, _) = await PostAsync("/api/2.0/mlflow/experiments/create", "{\"name\": \"x\"}", contentType: "text/plain");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body.GetProperty("message").GetString(), Is.EqualTo("Bad Request. Content-Type must be one of ['application/json']."));
    }

    [Test]
    public async Task Missing_required_field_has_mlflow_s_message()
    {
        var (status, body, _) = await PostAsync("/api/2.0/mlflow/experiments/create", "{}");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body.GetProperty("message").GetString(), Is.EqualTo("Missing value for required parameter 'name'. See the API docs for more information about request parameters."));
    }

    [Test]
    public async Task Name_taken_is_400_resource_already_exists_and_unknown_run_is_404()
    {
        await PostAsync("/api/2.0/mlflow/experiments/create", "{\"name\": \"x\"}");

        var (taken, takenBody, _) = await PostAsync("/api/2.0/mlflow/experiments/create", "{\"name\": \"x\"}");
        var (missing, missingBody) = await GetAsync("/api/2.0/mlflow/runs/get?run_id=0123456789abcdef0123456789abcdef");

        Assert.That(taken, Is.EqualTo(400));
        Assert.That(takenBody.GetProperty("error_code").GetString(), Is.EqualTo("RESOURCE_ALREADY_EXISTS"));
        Assert.That(missing, Is.EqualTo(404));
        Assert.That(missingBody.GetProperty("error_code").GetString(), Is.EqualTo("RESOURCE_DOES_NOT_EXIST"));
    }

    [Test]
    public async Task Unknown_endpoint_is_404()
    {
        using var response = await Http.GetAsync("/api/2.0/mlflow/experiments/list");

        Assert.That((int)response.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task Run_json_has_string_ids_enum_names_numeric_int64_and_omits_unset_fields()
    {
        var (experimentId, runId) = await CreateRunAsync();
        await PostAsync("/api/2.0/mlflow/runs/log-batch", $"{{\"run_id\": \"{runId}\", \"metrics\": [{{\"key\": \"nan\", \"value\": \"NaN\", \"timestamp\": \"1700000000001\", \"step\": \"3\"}}]}}");

        var (status, body) = await GetAsync("/api/2.0/mlflow/runs/get?run_id=" + runId);
        var run = body.GetProperty("run");
        var info = run.GetProperty("info");
        var metric = run.GetProperty("data").GetProperty("metrics")[0];

        Assert.That(status, Is.EqualTo(200));
        Assert.That(info.GetProperty("run_id").GetString(), Is.EqualTo(runId));
        Assert.That(info.GetProperty("run_uuid").GetString(), Is.EqualTo(runId));
        Assert.That(info.GetProperty("experiment_id").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(info.GetProperty("experiment_id").GetString(), Is.EqualTo(experimentId));
        Assert.That(info.GetProperty("status").GetString(), Is.EqualTo("RUNNING"));
        Assert.That(info.GetProperty("lifecycle_stage").GetString(), Is.EqualTo("active"));
        Assert.That(info.GetProperty("start_time").ValueKind, Is.EqualTo(JsonValueKind.Number));
        Assert.That(info.TryGetProperty("end_time", out _), Is.False);
        Assert.That(info.GetProperty("artifact_uri").GetString(), Is.EqualTo($"mlflow-artifacts:/{experimentId}/{runId}/artifacts"));
        Assert.That(run.GetProperty("data").TryGetProperty("params", out _), Is.False);
        Assert.That(run.GetProperty("inputs").EnumerateObject(), Is.Empty);
        Assert.That(metric.GetProperty("value").GetString(), Is.EqualTo("NaN"));
        Assert.That(metric.GetProperty("timestamp").GetInt64(), Is.EqualTo(1_700_000_000_001));
        Assert.That(metric.GetProperty("step").GetInt64(), Is.EqualTo(3));
    }

    [Test]
    public async Task Status_given_as_a_number_is_accepted()
    {
        var (_, runId) = await CreateRunAsync();

        var (status, body, _) = await PostAsync("/api/2.0/mlflow/runs/update", $"{{\"run_id\": \"{runId}\", \"status\": 3, \"end_time\": 1700000009999}}");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body.GetProperty("run_info").GetProperty("status").GetString(), Is.EqualTo("FINISHED"));
        Assert.That(body.GetProperty("run_info").GetProperty("end_time").GetInt64(), Is.EqualTo(1_700_000_009_999));
    }

    [Test]
    public async Task Experiment_search_works_by_get_with_repeated_order_by()
    {
        foreach (var name in new[] { "x-b", "x-a", "x-c" })
        {
            await FileStore.CreateExperimentAsync(name);
        }

        var (status, body) = await GetAsync("/api/2.0/mlflow/experiments/search?max_results=2&order_by=name%20ASC&order_by=creation_time%20DESC&view_type=ALL&filter=name+LIKE+%27x-%25%27");
        var names = body.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToArray();

        Assert.That(status, Is.EqualTo(200));
        Assert.That(names, Is.EqualTo(new[] { "x-a", "x-b" }));
        Assert.That(body.GetProperty("next_page_token").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Experiment_search_without_max_results_is_refused()
    {
        var (status, body, _) = await PostAsync("/api/2.0/mlflow/experiments/search", "{}");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body.GetProperty("message").GetString(), Does.StartWith("Invalid value 0 for parameter 'max_results' supplied."));
    }

    [Test]
    public async Task Log_batch_over_a_million_bytes_is_refused()
    {
        var (_, runId) = await CreateRunAsync();
        var tags = string.Join(",", Enumerable.Range(0, 100).Select(i => $"{{\"key\": \"t{i}\", \"value\": \"{new string('x', 10_100)}\"}}"));

        var (status, body, _) = await PostAsync("/api/2.0/mlflow/runs/log-batch", $"{{\"run_id\": \"{runId}\", \"tags\": [{tags}]}}");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("INVALID_PARAMETER_VALUE"));
        Assert.That((await FileStore.GetRunAsync(runId)).Data.GetTag("t0"), Is.Null);
    }

    [Test]
    public async Task Log_metric_without_timestamp_is_refused()
    {
        var (_, runId) = await CreateRunAsync();

        var (status, body, _) = await PostAsync("/api/2.0/mlflow/runs/log-metric", $"{{\"run_id\": \"{runId}\", \"key\": \"m\", \"value\": 1}}");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body.GetProperty("message").GetString(), Does.Contain("'timestamp'"));
    }

    [Test]
    public async Task Per_call_logging_endpoints_write_through_the_store()
    {
        var (_, runId) = await CreateRunAsync();

        await PostAsync("/api/2.0/mlflow/runs/log-metric", $"{{\"run_uuid\": \"{runId}\", \"key\": \"m\", \"value\": \"Infinity\", \"timestamp\": 5, \"step\": 2}}");
        await PostAsync("/api/2.0/mlflow/runs/log-parameter", $"{{\"run_id\": \"{runId}\", \"key\": \"p\", \"value\": \"1\"}}");
        await PostAsync("/api/2.0/mlflow/runs/set-tag", $"{{\"run_id\": \"{runId}\", \"key\": \"t\", \"value\": \"v\"}}");
        var (conflict, conflictBody, _) = await PostAsync("/api/2.0/mlflow/runs/log-parameter", $"{{\"run_id\": \"{runId}\", \"key\": \"p\", \"value\": \"2\"}}");
        var data = (await FileStore.GetRunAsync(runId)).Data;

        Assert.That(data.GetMetric("m"), Is.EqualTo(new Metric("m", double.PositiveInfinity, 5, 2)));
        Assert.That(data.GetParam("p"), Is.EqualTo("1"));
        Assert.That(data.GetTag("t"), Is.EqualTo("v"));
        Assert.That(conflict, Is.EqualTo(400));
        Assert.That(conflictBody.GetProperty("error_code").GetString(), Is.EqualTo("INVALID_PARAMETER_VALUE"));
    }

    [Test]
    public async Task Ajax_api_serves_the_same_handlers()
    {
        var (status, body) = await GetAsync("/ajax-api/2.0/mlflow/experiments/get?experiment_id=0");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body.GetProperty("experiment").GetProperty("name").GetString(), Is.EqualTo("Default"));
        Assert.That(body.GetProperty("experiment").GetProperty("artifact_location").GetString(), Is.EqualTo("mlflow-artifacts:/0"));
    }

    [Test]
    public async Task A_replayed_idempotency_key_answers_the_first_result_without_running_again()
    {
        var experimentId = await FileStore.CreateExperimentAsync("replay");
        var json = $"{{\"experiment_id\": \"{experimentId}\", \"start_time\": 1700000000000}}";

        var (_, first, firstResponse) = await PostAsync("/api/2.0/mlflow/runs/create", json, idempotencyKey: "key-1");
        var (_, second, secondResponse) = await PostAsync("/api/2.0/mlflow/runs/create", json, idempotencyKey: "key-1");
        var (_, third, _) = await PostAsync("/api/2.0/mlflow/runs/create", json, idempotencyKey: "key-2");
        var runs = await FileStore.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experimentId] });

        static string RunId(JsonElement body) => body.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        Assert.That(RunId(second), Is.EqualTo(RunId(first)));
        Assert.That(RunId(third), Is.Not.EqualTo(RunId(first)));
        Assert.That(firstResponse.Headers.Contains("Idempotent-Replayed"), Is.False);
        Assert.That(secondResponse.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        Assert.That(runs.Items, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_failed_request_is_not_remembered_so_its_retry_runs()
    {
        var experimentId = await FileStore.CreateExperimentAsync("retry-after-failure");
        var (_, runId) = (experimentId, (await FileStore.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId })).Info.RunId);
        await FileStore.DeleteRunAsync(runId);
        var json = $"{{\"run_id\": \"{runId}\", \"metrics\": [{{\"key\": \"m\", \"value\": 1, \"timestamp\": 1}}]}}";

        var (failed, _, _) = await PostAsync("/api/2.0/mlflow/runs/log-batch", json, idempotencyKey: "same");
        await FileStore.RestoreRunAsync(runId);
        var (succeeded, _, _) = await PostAsync("/api/2.0/mlflow/runs/log-batch", json, idempotencyKey: "same");

        Assert.That(failed, Is.EqualTo(400));
        Assert.That(succeeded, Is.EqualTo(200));
        Assert.That((await FileStore.GetMetricHistoryAsync(runId, "m")).Items, Has.Count.EqualTo(1));
    }
}
