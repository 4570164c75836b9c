using System.Text.Json;
using MlWorkflow.Server.Auth;

namespace MlWorkflow.Server.Tests.Auth;

/// <summary>Two users on a server whose default permission is NO_PERMISSIONS: each sees and changes only what they created, through the API and the UI.</summary>
[TestFixture]
public sealed class IsolationTests : AuthServerFixture
{
    protected override MlflowPermissionLevel DefaultPermission => MlflowPermissionLevel.NoPermissions;

    [Test]
    public async Task Two_users_cannot_see_each_other_s_experiments_runs_or_models()
    {
        await CreateUserAsync("alice");
        await CreateUserAsync("bob");
        var aliceExperiment = await CreateExperimentAsync("alice", "alice-exp");
        var bobExperiment = await CreateExperimentAsync("bob", "bob-exp");
        var aliceRun = await CreateRunAsync("alice", aliceExperiment);
        var bobRun = await CreateRunAsync("bob", bobExperiment);
        await CreateModelAsync("alice", "alice-model", aliceRun);
        await CreateModelAsync("bob", "bob-model", bobRun);

        foreach (var (user, own, other, otherExperiment, otherModel) in new[] { ("alice", "alice", "bob", bobExperiment, "bob-model"), ("bob", "bob", "alice", aliceExperiment, "alice-model") })
        {
            var client = As(user);
            var searchPost = await SendAsync(client, "POST", "/api/2.0/mlflow/experiments/search", """{"max_results":100}""");
            var searchGet = await SendAsync(client, "GET", "/ajax-api/2.0/mlflow/experiments/search?max_results=100");
            var models = await SendAsync(client, "GET", "/api/2.0/mlflow/registered-models/search?max_results=100");
            var versions = await SendAsync(client, "GET", "/api/2.0/mlflow/model-versions/search?max_results=100");
            var runs = await SendAsync(client, "POST", "/api/2.0/mlflow/runs/search", $$"""{"experiment_ids":["{{otherExperiment}}"]}""");
            var get = await SendAsync(client, "GET", $"/api/2.0/mlflow/experiments/get?experiment_id={otherExperiment}");
            var byName = await SendAsync(client, "GET", $"/api/2.0/mlflow/experiments/get-by-name?experiment_name={other}-exp");
            var model = await SendAsync(client, "GET", $"/api/2.0/mlflow/registered-models/get?name={otherModel}");
            var home = await SendAsync(client, "GET", "/");
            var modelsPage = await SendAsync(client, "GET", "/models");
            var otherPage = await SendAsync(client, "GET", $"/experiments/{otherExperiment}");

            Assert.That(Names(searchPost.Body, "experiments"), Is.EqualTo(new[] { own + "-exp" }), user);
            Assert.That(Names(searchGet.Body, "experiments"), Is.EqualTo(new[] { own + "-exp" }), user);
            Assert.That(Names(models.Body, "registered_models"), Is.EqualTo(new[] { own + "-model" }), user);
            Assert.That(Names(versions.Body, "model_versions"), Is.Not.Empty.And.All.EqualTo(own + "-model"), user);
            Assert.That(runs.Status, Is.EqualTo(403), user);
            Assert.That(get.Status, Is.EqualTo(403), user);
            Assert.That(byName.Status, Is.EqualTo(403), user);
            Assert.That(model.Status, Is.EqualTo(403), user);
            Assert.That(home.Status, Is.EqualTo(200), user);
            Assert.That(home.Body, Does.Contain(own + "-exp").And.Not.Contain(other + "-exp"), user);
            Assert.That(modelsPage.Body, Does.Contain(own + "-model").And.Not.Contain(other + "-model"), user);
            Assert.That(otherPage.Status, Is.EqualTo(403), user);
        }

        var adminSearch = await SendAsync(As(AdminName), "POST", "/api/2.0/mlflow/experiments/search", """{"max_results":100}""");
        Assert.That(Names(adminSearch.Body, "experiments"), Is.EquivalentTo(new[] { "alice-exp", "bob-exp", "Default" }), "admins see everything");
    }

    [Test]
    public async Task One_user_s_idempotency_key_never_replays_another_user_s_answer()
    {
        await CreateUserAsync("alice");
        await CreateUserAsync("bob");

        var alice = await CreateWithKeyAsync("alice", "alice-keyed");
        var aliceAgain = await CreateWithKeyAsync("alice", "alice-keyed");
        var bob = await CreateWithKeyAsync("bob", "bob-keyed");

        Assert.That(aliceAgain.Replayed, Is.True, "the same user's retry is a replay");
        Assert.That(aliceAgain.Body, Is.EqualTo(alice.Body));
        Assert.That(bob.Replayed, Is.False, "another user's request with the same key runs as its own write");
        Assert.That(bob.Body, Is.Not.EqualTo(alice.Body));
        var bobSearch = await SendAsync(As("bob"), "POST", "/api/2.0/mlflow/experiments/search", """{"max_results":100}""");
        Assert.That(Names(bobSearch.Body, "experiments"), Is.EqualTo(new[] { "bob-keyed" }));

        async Task<(string Body, bool Replayed)> CreateWithKeyAsync(string user, string name)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/experiments/create")
            {
                Content = new StringContent($$"""{"name":"{{name}}"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", "shared-key-1");
            using var response = await As(user).SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
            return (body, response.Headers.Contains("Idempotent-Replayed"));
        }
    }

    [Test]
    public async Task Sharing_an_experiment_makes_it_visible_and_renaming_a_model_keeps_its_records()
    {
        await CreateUserAsync("alice");
        await CreateUserAsync("bob");
        var experiment = await CreateExperimentAsync("alice", "alice-exp");
        await CreateModelAsync("alice", "alice-model", await CreateRunAsync("alice", experiment));
        await SendAsync(As("alice"), "POST", "/api/2.0/mlflow/experiments/permissions/create", $$"""{"experiment_id":"{{experiment}}","username":"bob","permission":"READ"}""");

        var search = await SendAsync(As("bob"), "POST", "/api/2.0/mlflow/experiments/search", """{"max_results":100}""");
        var renamed = await SendAsync(As("alice"), "POST", "/api/2.0/mlflow/registered-models/rename", """{"name":"alice-model","new_name":"renamed-model"}""");
        var afterRename = await SendAsync(As("alice"), "PATCH", "/api/2.0/mlflow/registered-models/update", """{"name":"renamed-model","description":"d"}""");

        Assert.That(Names(search.Body, "experiments"), Is.EqualTo(new[] { "alice-exp" }));
        Assert.That(renamed.Status, Is.EqualTo(200));
        Assert.That(afterRename.Status, Is.EqualTo(200), "the creator still manages the renamed model");
    }

    [Test]
    public async Task A_filtered_search_page_is_refilled_to_max_results_and_its_token_leads_to_the_rest()
    {
        await CreateUserAsync("alice");
        await CreateUserAsync("bob");
        await CreateExperimentAsync("alice", "a1");
        for (var i = 1; i <= 4; i++)
        {
            await CreateExperimentAsync("bob", "b" + i);
        }

        await CreateExperimentAsync("alice", "z2"); // bob's lie between alice's in name order

        var both = await SendAsync(As("alice"), "POST", "/api/2.0/mlflow/experiments/search", """{"max_results":2,"order_by":["name ASC"]}""");
        var first = await SendAsync(As("alice"), "POST", "/api/2.0/mlflow/experiments/search", """{"max_results":1,"order_by":["name DESC"]}""");
        var token = JsonDocument.Parse(first.Body).RootElement.GetProperty("next_page_token").GetString();
        var second = await SendAsync(As("alice"), "POST", "/api/2.0/mlflow/experiments/search", $$"""{"max_results":1,"order_by":["name DESC"],"page_token":"{{token}}"}""");

        Assert.That(Names(both.Body, "experiments"), Is.EqualTo(new[] { "a1", "z2" }), "bob's experiments in between are skipped, not counted");
        Assert.That(Names(first.Body, "experiments"), Is.EqualTo(new[] { "z2" }));
        Assert.That(Names(second.Body, "experiments"), Is.EqualTo(new[] { "a1" }));
    }

    private async Task<string> CreateExperimentAsync(string user, string name)
    {
        var (status, body, _) = await SendAsync(As(user), "POST", "/api/2.0/mlflow/experiments/create", $$"""{"name":"{{name}}"}""");
        Assert.That(status, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("experiment_id").GetString()!;
    }

    private async Task<string> CreateRunAsync(string user, string experimentId)
    {
        var (status, body, _) = await SendAsync(As(user), "POST", "/api/2.0/mlflow/runs/create", $$"""{"experiment_id":"{{experimentId}}"}""");
        Assert.That(status, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }

    private async Task CreateModelAsync(string user, string name, string runId)
    {
        var (status, body, _) = await SendAsync(As(user), "POST", "/api/2.0/mlflow/registered-models/create", $$"""{"name":"{{name}}"}""");
        Assert.That(status, Is.EqualTo(200), body);
        var (versionStatus, versionBody, _) = await SendAsync(As(user), "POST", "/api/2.0/mlflow/model-versions/create", $$"""{"name":"{{name}}","source":"runs:/{{runId}}/model","run_id":"{{runId}}"}""");
        Assert.That(versionStatus, Is.EqualTo(200), versionBody);
    }

    private static string[] Names(string body, string list)
    {
        var root = JsonDocument.Parse(body).RootElement;
        return root.TryGetProperty(list, out var items) ? [.. items.EnumerateArray().Select(e => e.GetProperty("name").GetString()!)] : [];
    }
}
