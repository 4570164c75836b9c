using System.Text.Json;
using MlWorkflow.Server.Auth;

namespace MlWorkflow.Server.Tests.Auth;

/// <summary>
/// Every kind of call (tracking, registry, artifacts, UI) at every permission level: a user with READ, EDIT, MANAGE or
/// NO_PERMISSIONS on the experiment and the model (default NO_PERMISSIONS) gets the answer when the level allows the call's
/// capability, else 403 PERMISSION_DENIED; the server's state is fresh for each case.
/// </summary>
[TestFixture]
public sealed class PermissionLevelTests : AuthServerFixture
{
    private const string Read = nameof(Capability.Read), Update = nameof(Capability.Update), Delete = nameof(Capability.Delete), Manage = nameof(Capability.Manage);

    private static readonly string[] Levels = ["READ", "EDIT", "MANAGE", "NO_PERMISSIONS"];

    private static readonly Call[] Calls =
    [
        // Experiments.
        new("GET", "/api/2.0/mlflow/experiments/get?experiment_id={exp}", null, Read),
        new("GET", "/ajax-api/2.0/mlflow/experiments/get?experiment_id={exp}", null, Read),
        new("GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=shared", null, Read),
        new("POST", "/api/2.0/mlflow/experiments/update", """{"experiment_id":"{exp}","new_name":"renamed"}""", Update),
        new("POST", "/api/2.0/mlflow/experiments/set-experiment-tag", """{"experiment_id":"{exp}","key":"k","value":"v"}""", Update),
        new("POST", "/api/2.0/mlflow/experiments/delete", """{"experiment_id":"{exp}"}""", Delete),
        new("POST", "/api/2.0/mlflow/experiments/restore", """{"experiment_id":"{exp}"}""", Delete, Ok: 404),

        // Runs.
        new("POST", "/api/2.0/mlflow/runs/create", """{"experiment_id":"{exp}"}""", Update),
        new("GET", "/api/2.0/mlflow/runs/get?run_id={run}", null, Read),
        new("POST", "/api/2.0/mlflow/runs/update", """{"run_id":"{run}","status":"FINISHED"}""", Update),
        new("POST", "/api/2.0/mlflow/runs/log-metric", """{"run_id":"{run}","key":"m","value":2,"timestamp":1700000000001,"step":1}""", Update),
        new("POST", "/api/2.0/mlflow/runs/log-parameter", """{"run_id":"{run}","key":"p","value":"1"}""", Update),
        new("POST", "/api/2.0/mlflow/runs/set-tag", """{"run_id":"{run}","key":"k","value":"v"}""", Update),
        new("POST", "/api/2.0/mlflow/runs/delete-tag", """{"run_id":"{run}","key":"t"}""", Update),
        new("POST", "/api/2.0/mlflow/runs/log-batch", """{"run_id":"{run}","metrics":[{"key":"b","value":1,"timestamp":1,"step":0}]}""", Update),
        new("POST", "/api/2.0/mlflow/runs/log-inputs", """{"run_id":"{run}","datasets":[]}""", Update),
        new("POST", "/api/2.0/mlflow/runs/log-model", """{"run_id":"{run}","model_json":"{\"artifact_path\":\"model\",\"flavors\":{},\"run_id\":\"{run}\",\"utc_time_created\":\"2024-01-01 00:00:00.000000\"}"}""", Update),
        new("POST", "/api/2.0/mlflow/runs/delete", """{"run_id":"{run}"}""", Delete),
        new("POST", "/api/2.0/mlflow/runs/restore", """{"run_id":"{run}"}""", Delete),
        new("POST", "/api/2.0/mlflow/runs/search", """{"experiment_ids":["{exp}"]}""", Read),
        new("GET", "/api/2.0/mlflow/metrics/get-history?run_id={run}&metric_key=m", null, Read),
        new("GET", "/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids={run}&metric_key=m", null, Read),
        new("GET", "/api/2.0/mlflow/artifacts/list?run_id={run}", null, Read),
        new("GET", "/get-artifact?path=a.txt&run_uuid={run}", null, Read),

        // The mlflow-artifacts proxy.
        new("GET", "/api/2.0/mlflow-artifacts/artifacts/{exp}/{run}/artifacts/a.txt", null, Read),
        new("GET", "/api/2.0/mlflow-artifacts/artifacts?path={exp}/{run}/artifacts", null, Read),
        new("PUT", "/api/2.0/mlflow-artifacts/artifacts/{exp}/{run}/artifacts/b.txt", "new", Update, ContentType: "application/octet-stream"),
        new("DELETE", "/api/2.0/mlflow-artifacts/artifacts/{exp}/{run}/artifacts/a.txt", null, Manage),

        // Multipart uploads write what a PUT writes, so they need what it needs (MLflow leaves them unchecked); this server's
        // destination is a local folder, which answers 501 to a caller who may write.
        new("POST", "/api/2.0/mlflow-artifacts/mpu/create/{exp}/{run}/artifacts", """{"path":"big.bin","num_parts":2}""", Update, Ok: 501),
        new("POST", "/api/2.0/mlflow-artifacts/mpu/complete/{exp}/{run}/artifacts", """{"path":"big.bin","upload_id":"u","parts":[{"part_number":1,"etag":"e"}]}""", Update, Ok: 501),
        new("POST", "/ajax-api/2.0/mlflow-artifacts/mpu/abort/{exp}/{run}/artifacts", """{"path":"big.bin","upload_id":"u"}""", Update, Ok: 501),

        // Registered models and versions.
        new("GET", "/api/2.0/mlflow/registered-models/get?name=m", null, Read),
        new("POST", "/api/2.0/mlflow/registered-models/rename", """{"name":"m","new_name":"m2"}""", Update),
        new("PATCH", "/api/2.0/mlflow/registered-models/update", """{"name":"m","description":"d"}""", Update),
        new("DELETE", "/api/2.0/mlflow/registered-models/delete", """{"name":"m"}""", Delete),
        new("POST", "/api/2.0/mlflow/registered-models/set-tag", """{"name":"m","key":"k","value":"v"}""", Update),
        new("DELETE", "/api/2.0/mlflow/registered-models/delete-tag", """{"name":"m","key":"t"}""", Update),
        new("POST", "/api/2.0/mlflow/registered-models/alias", """{"name":"m","alias":"a","version":"1"}""", Update),
        new("DELETE", "/api/2.0/mlflow/registered-models/alias", """{"name":"m","alias":"champion"}""", Delete),
        new("GET", "/api/2.0/mlflow/registered-models/alias?name=m&alias=champion", null, Read),
        new("GET", "/api/2.0/mlflow/registered-models/get-latest-versions?name=m", null, Read),
        new("POST", "/api/2.0/mlflow/registered-models/get-latest-versions", """{"name":"m"}""", Read),
        new("POST", "/api/2.0/mlflow/model-versions/create", """{"name":"m","source":"runs:/{run}/model","run_id":"{run}"}""", Update),
        new("GET", "/api/2.0/mlflow/model-versions/get?name=m&version=1", null, Read),
        new("PATCH", "/api/2.0/mlflow/model-versions/update", """{"name":"m","version":"1","description":"d"}""", Update),
        new("DELETE", "/api/2.0/mlflow/model-versions/delete", """{"name":"m","version":"1"}""", Delete),
        new("POST", "/api/2.0/mlflow/model-versions/transition-stage", """{"name":"m","version":"1","stage":"Staging","archive_existing_versions":false}""", Update),
        new("POST", "/api/2.0/mlflow/model-versions/set-tag", """{"name":"m","version":"1","key":"k","value":"v"}""", Update),
        new("DELETE", "/api/2.0/mlflow/model-versions/delete-tag", """{"name":"m","version":"1","key":"t"}""", Delete),
        new("GET", "/api/2.0/mlflow/model-versions/get-download-uri?name=m&version=1", null, Read),
        new("GET", "/model-versions/get-artifact?name=m&version=1&path=a.txt", null, Read),

        // Permission records.
        new("GET", "/api/2.0/mlflow/experiments/permissions/get?experiment_id={exp}&username=bob", null, Manage),
        new("PATCH", "/api/2.0/mlflow/experiments/permissions/update", """{"experiment_id":"{exp}","username":"bob","permission":"READ"}""", Manage),
        new("GET", "/api/2.0/mlflow/registered-models/permissions/get?name=m&username=bob", null, Manage),
        new("DELETE", "/api/2.0/mlflow/registered-models/permissions/delete", """{"name":"m","username":"bob"}""", Manage),

        // The web UI.
        new("GET", "/experiments/{exp}", null, Read),
        new("GET", "/runs/{run}", null, Read),
        new("GET", "/compare?run={run}", null, Read),
        new("GET", "/model?name=m", null, Read),
        new("GET", "/ui-api/chart?runs={run}&key=m", null, Read),
        new("GET", "/ui-api/artifact?run={run}&path=a.txt", null, Read),
    ];

    protected override MlflowPermissionLevel DefaultPermission => MlflowPermissionLevel.NoPermissions;

    private static IEnumerable<TestCaseData> Cases() =>
        from call in Calls
        from level in Levels
        select new TestCaseData(call, level).SetName($"{call.Method} {call.Path.Split('?')[0]} with {level}");

    [TestCaseSource(nameof(Cases))]
    public async Task A_call_is_answered_when_the_level_allows_it_and_refused_403_otherwise(Call call, string level)
    {
        var (experimentId, runId) = await SeedAsync();
        await CreateUserAsync("bob");
        await GrantExperimentAsync(experimentId, "bob", level);
        await GrantModelAsync("m", "bob", level);
        string Fill(string text) => text.Replace("{exp}", experimentId, StringComparison.Ordinal).Replace("{run}", runId, StringComparison.Ordinal);

        var (status, body, _) = await SendAsync(As("bob"), call.Method, Fill(call.Path), call.Body is null ? null : Fill(call.Body), call.ContentType);

        // MLflow's permission table (https://mlflow.org/docs/latest/auth/index.html#permissions), written out here rather
        // than taken from the server's own: READ reads; EDIT reads and updates; MANAGE also deletes and manages.
        var allowed = (level, call.Capability) switch
        {
            ("MANAGE", _) => true,
            ("EDIT", Read or Update) => true,
            ("READ", Read) => true,
            _ => false,
        };
        if (allowed)
        {
            Assert.That(status, Is.EqualTo(call.Ok), body);
        }
        else
        {
            Assert.That(status, Is.EqualTo(403), body);
            Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("error_code").GetString(), Is.EqualTo("PERMISSION_DENIED"));
        }
    }

    /// <summary>One call: method, path and body with <c>{exp}</c> and <c>{run}</c> placeholders, the capability it needs, and its status when allowed.</summary>
    public sealed record Call(string Method, string Path, string? Body, string Capability, int Ok = 200, string ContentType = "application/json")
    {
        public override string ToString() => $"{Method} {Path}";
    }
}
