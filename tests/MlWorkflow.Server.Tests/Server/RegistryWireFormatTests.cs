using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MlWorkflow.Server.Tests.Server;

/// <summary>The registry endpoints' JSON, methods, status codes and error bodies, as MLflow's (the model registry section of MLflow's REST API documentation, https://mlflow.org/docs/latest/rest-api.html).</summary>
[TestFixture]
public sealed class RegistryWireFormatTests : ServerFixture
{
    private const string Api = "/api/2.0/mlflow";

    private async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task CreateModelWithVersionAsync(string name = "rm")
    {
        await PostAsync(Api + "/registered-models/create", $"{{\"name\": \"{name}\"}}");
        await PostAsync(Api + "/model-versions/create", $"{{\"name\": \"{name}\", \"source\": \"s3://b/m\"}}");
    }

    [Test]
    public async Task Created_version_has_mlflow_s_shape_with_the_version_as_a_string()
    {
        await PostAsync(Api + "/registered-models/create", "{\"name\": \"rm\", \"tags\": [{\"key\": \"a\", \"value\": \"b\"}], \"description\": \"d\"}");

        var (status, body, _) = await PostAsync(Api + "/model-versions/create", "{\"name\": \"rm\", \"source\": \"runs:/0123456789abcdef0123456789abcdef/model\", \"run_id\": \"0123456789abcdef0123456789abcdef\", \"tags\": [{\"key\": \"x\", \"value\": \"y\"}]}");

        var version = body.GetProperty("model_version");
        Assert.That(status, Is.EqualTo(200));
        Assert.That(version.GetProperty("version").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(version.GetProperty("version").GetString(), Is.EqualTo("1"));
        Assert.That(version.GetProperty("current_stage").GetString(), Is.EqualTo("None"));
        Assert.That(version.GetProperty("status").GetString(), Is.EqualTo("READY"));
        Assert.That(version.GetProperty("description").GetString(), Is.EqualTo(string.Empty));
        Assert.That(version.GetProperty("run_link").GetString(), Is.EqualTo(string.Empty));
        Assert.That(version.GetProperty("creation_timestamp").ValueKind, Is.EqualTo(JsonValueKind.Number));
        Assert.That(version.GetProperty("tags")[0].GetProperty("key").GetString(), Is.EqualTo("x"));
        Assert.That(version.TryGetProperty("aliases", out _), Is.False);
    }

    [Test]
    public async Task Registered_model_has_mlflow_s_shape_with_aliases_and_latest_versions()
    {
        await CreateModelWithVersionAsync();
        await PostAsync(Api + "/registered-models/alias", "{\"name\": \"rm\", \"alias\": \"champion\", \"version\": \"1\"}");

        var (status, body) = await GetAsync(Api + "/registered-models/get?name=rm");

        var model = body.GetProperty("registered_model");
        Assert.That(status, Is.EqualTo(200));
        Assert.That(model.GetProperty("name").GetString(), Is.EqualTo("rm"));
        Assert.That(model.TryGetProperty("description", out _), Is.False);
        Assert.That(model.TryGetProperty("tags", out _), Is.False);
        Assert.That(model.GetProperty("aliases")[0].GetProperty("alias").GetString(), Is.EqualTo("champion"));
        Assert.That(model.GetProperty("aliases")[0].GetProperty("version").GetString(), Is.EqualTo("1"));
        Assert.That(model.GetProperty("latest_versions")[0].GetProperty("aliases")[0].GetString(), Is.EqualTo("champion"));
    }

    [Test]
    public async Task Errors_have_mlflow_s_codes_and_statuses()
    {
        await CreateModelWithVersionAsync();

        var (taken, takenBody, _) = await PostAsync(Api + "/registered-models/create", "{\"name\": \"rm\"}");
        var (unknown, unknownBody) = await GetAsync(Api + "/registered-models/get?name=ghost");
        var (alias, aliasBody) = await GetAsync(Api + "/registered-models/alias?name=rm&alias=nope");
        var (missing, missingBody) = await GetAsync(Api + "/model-versions/get?name=rm");
        var (badVersion, badVersionBody) = await GetAsync(Api + "/model-versions/get?name=rm&version=one");
        var (badStage, _, _) = await PostAsync(Api + "/model-versions/transition-stage", "{\"name\": \"rm\", \"version\": \"1\", \"stage\": \"Live\", \"archive_existing_versions\": false}");

        Assert.That((taken, takenBody.GetProperty("error_code").GetString()), Is.EqualTo((400, "RESOURCE_ALREADY_EXISTS")));
        Assert.That(takenBody.GetProperty("message").GetString(), Is.EqualTo("Registered Model (name=rm) already exists."));
        Assert.That((unknown, unknownBody.GetProperty("error_code").GetString()), Is.EqualTo((404, "RESOURCE_DOES_NOT_EXIST")));
        Assert.That((alias, aliasBody.GetProperty("error_code").GetString()), Is.EqualTo((400, "INVALID_PARAMETER_VALUE")));
        Assert.That((missing, missingBody.GetProperty("message").GetString()), Is.EqualTo((400, "Missing value for required parameter 'version'. See the API docs for more information about request parameters.")));
        Assert.That((badVersion, badVersionBody.GetProperty("error_code").GetString()), Is.EqualTo((400, "INVALID_PARAMETER_VALUE")));
        Assert.That(badStage, Is.EqualTo(400));
    }

    [Test]
    public async Task Delete_calls_read_a_json_body_and_fall_back_to_query_parameters()
    {
        await CreateModelWithVersionAsync();
        await PostAsync(Api + "/model-versions/set-tag", "{\"name\": \"rm\", \"version\": \"1\", \"key\": \"k\", \"value\": \"v\"}");
        await PostAsync(Api + "/registered-models/set-tag", "{\"name\": \"rm\", \"key\": \"k\", \"value\": \"v\"}");

        var (tagStatus, _) = await SendAsync(HttpMethod.Delete, Api + "/model-versions/delete-tag", "{\"name\": \"rm\", \"version\": \"1\", \"key\": \"k\"}");
        var (modelTagStatus, _) = await SendAsync(HttpMethod.Delete, Api + "/registered-models/delete-tag?name=rm&key=k", string.Empty);
        var (versionStatus, versionBody) = await SendAsync(HttpMethod.Delete, Api + "/model-versions/delete", "{\"name\": \"rm\", \"version\": 1}");
        var (modelStatus, _) = await SendAsync(HttpMethod.Delete, Api + "/registered-models/delete", "{\"name\": \"rm\"}");
        var (gone, _) = await GetAsync(Api + "/registered-models/get?name=rm");

        Assert.That(new[] { tagStatus, modelTagStatus, versionStatus, modelStatus }, Is.All.EqualTo(200));
        Assert.That(versionBody.EnumerateObject(), Is.Empty);
        Assert.That(gone, Is.EqualTo(404));
    }

    [Test]
    public async Task Updates_are_patch_and_stages_are_case_insensitive()
    {
        await CreateModelWithVersionAsync();

        var (modelStatus, modelBody) = await SendAsync(HttpMethod.Patch, Api + "/registered-models/update", "{\"name\": \"rm\", \"description\": \"new\"}");
        var (versionStatus, versionBody) = await SendAsync(HttpMethod.Patch, Api + "/model-versions/update", "{\"name\": \"rm\", \"version\": \"1\", \"description\": \"v1\"}");
        var (_, stageBody, _) = await PostAsync(Api + "/model-versions/transition-stage", "{\"name\": \"rm\", \"version\": \"1\", \"stage\": \"production\", \"archive_existing_versions\": true}");
        var (_, latest) = await GetAsync(Api + "/registered-models/get-latest-versions?name=rm&stages=Production&stages=Staging");
        var (_, download) = await GetAsync(Api + "/model-versions/get-download-uri?name=rm&version=1");
        using var post = await Http.PostAsJsonAsync(Api + "/model-versions/update", new { name = "rm", version = "1" });

        Assert.That((modelStatus, modelBody.GetProperty("registered_model").GetProperty("description").GetString()), Is.EqualTo((200, "new")));
        Assert.That((versionStatus, versionBody.GetProperty("model_version").GetProperty("description").GetString()), Is.EqualTo((200, "v1")));
        Assert.That(stageBody.GetProperty("model_version").GetProperty("current_stage").GetString(), Is.EqualTo("Production"));
        Assert.That(latest.GetProperty("model_versions").GetArrayLength(), Is.EqualTo(1));
        Assert.That(download.GetProperty("artifact_uri").GetString(), Is.EqualTo("s3://b/m"));
        Assert.That((int)post.StatusCode, Is.EqualTo(405).Or.EqualTo(404));
    }

    [Test]
    public async Task Search_takes_repeated_order_by_and_pages_with_mlflow_s_token()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            await PostAsync(Api + "/registered-models/create", $"{{\"name\": \"{name}\"}}");
        }

        var (_, first) = await GetAsync(Api + "/registered-models/search?max_results=2&order_by=name+DESC&order_by=creation_timestamp+ASC");
        var (tooMany, _) = await GetAsync(Api + "/registered-models/search?max_results=1001");

        Assert.That(first.GetProperty("registered_models").EnumerateArray().Select(m => m.GetProperty("name").GetString()), Is.EqualTo(new[] { "c", "b" }));
        Assert.That(first.GetProperty("next_page_token").GetString(), Is.EqualTo("eyJvZmZzZXQiOiAyfQ=="));
        Assert.That(tooMany, Is.EqualTo(400));
    }

    [Test]
    public async Task A_local_source_is_accepted_only_inside_its_run_s_artifact_folder()
    {
        var (_, runId) = await CreateRunAsync();
        var run = await FileStore.GetRunAsync(runId);
        await PostAsync(Api + "/registered-models/create", "{\"name\": \"rm\"}");
        var inside = run.Info.ArtifactUri + "/model";

        var (noRun, _, _) = await PostAsync(Api + "/model-versions/create", "{\"name\": \"rm\", \"source\": \"/etc\"}");
        var (outside, _, _) = await PostAsync(Api + "/model-versions/create", $"{{\"name\": \"rm\", \"source\": \"/etc\", \"run_id\": \"{runId}\"}}");
        var (escaping, _, _) = await PostAsync(Api + "/model-versions/create", $"{{\"name\": \"rm\", \"source\": \"{inside}/../../../..\", \"run_id\": \"{runId}\"}}");
        var (dotDot, _, _) = await PostAsync(Api + "/model-versions/create", "{\"name\": \"rm\", \"source\": \"s3://b/%2E%2E/x\"}");
        var (ok, okBody, _) = await PostAsync(Api + "/model-versions/create", $"{{\"name\": \"rm\", \"source\": \"{inside}\", \"run_id\": \"{runId}\"}}");

        Assert.That(new[] { noRun, outside, escaping, dotDot }, Is.All.EqualTo(400));
        Assert.That(ok, Is.EqualTo(200));
        Assert.That(okBody.GetProperty("model_version").GetProperty("source").GetString(), Is.EqualTo(inside));
    }

    [Test]
    public async Task A_retried_version_create_with_the_same_idempotency_key_creates_one_version()
    {
        await PostAsync(Api + "/registered-models/create", "{\"name\": \"rm\"}");

        var (_, first, _) = await PostAsync(Api + "/model-versions/create", "{\"name\": \"rm\", \"source\": \"s3://b/m\"}", idempotencyKey: "k1");
        var (_, replay, response) = await PostAsync(Api + "/model-versions/create", "{\"name\": \"rm\", \"source\": \"s3://b/m\"}", idempotencyKey: "k1");
        var (_, search) = await GetAsync(Api + "/model-versions/search");

        Assert.That(replay.GetProperty("model_version").GetProperty("version").GetString(), Is.EqualTo(first.GetProperty("model_version").GetProperty("version").GetString()));
        Assert.That(response.Headers.Contains("Idempotent-Replayed"), Is.True);
        Assert.That(search.GetProperty("model_versions").GetArrayLength(), Is.EqualTo(1));
    }
}
