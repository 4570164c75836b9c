using System.Text.Json;

namespace MlWorkflow.Server.Tests.Auth;

/// <summary>MLflow's auth app's own endpoints, replaying its captured session (mlflow-protocol-2 §5.7) with its exact request and answer shapes.</summary>
[TestFixture]
public sealed class MlflowAuthApiTests : AuthServerFixture
{
    [Test]
    public async Task The_captured_session_gives_mlflow_s_answers()
    {
        var admin = As(AdminName);
        var alice = await SendAsync(admin, "POST", "/api/2.0/mlflow/users/create", """{"username":"alice","password":"alice-pw"}""");
        await CreateUserAsync("bob");
        await CreateUserAsync("carol");
        Assert.That(alice.Status, Is.EqualTo(200));
        Assert.That(alice.Body, Is.EqualTo("""{"user":{"experiment_permissions":[],"id":2,"is_admin":false,"registered_model_permissions":[],"username":"alice"}}"""));

        var eve = await SendAsync(As("alice"), "POST", "/api/2.0/mlflow/users/create", """{"username":"eve","password":"x"}""");
        Assert.That(eve.Status, Is.EqualTo(403));

        var created = await SendAsync(As("alice"), "POST", "/api/2.0/mlflow/experiments/create", """{"name":"alice-exp"}""");
        var id = JsonDocument.Parse(created.Body).RootElement.GetProperty("experiment_id").GetString()!;
        var aliceNow = await SendAsync(As("alice"), "GET", "/api/2.0/mlflow/users/get?username=alice");
        Assert.That(aliceNow.Body, Is.EqualTo($$$"""{"user":{"experiment_permissions":[{"experiment_id":"{{{id}}}","permission":"MANAGE","user_id":2}],"id":2,"is_admin":false,"registered_model_permissions":[],"username":"alice"}}"""));

        Assert.That((await SendAsync(As("bob"), "GET", $"/api/2.0/mlflow/experiments/get?experiment_id={id}")).Status, Is.EqualTo(200), "READ by default");
        Assert.That((await SendAsync(As("bob"), "POST", "/api/2.0/mlflow/experiments/update", $$"""{"experiment_id":"{{id}}","new_name":"x"}""")).Status, Is.EqualTo(403));
        Assert.That((await SendAsync(As("bob"), "POST", "/api/2.0/mlflow/runs/create", $$"""{"experiment_id":"{{id}}"}""")).Status, Is.EqualTo(403));

        var edit = await SendAsync(As("alice"), "POST", "/api/2.0/mlflow/experiments/permissions/create", $$"""{"experiment_id":"{{id}}","username":"bob","permission":"EDIT"}""");
        Assert.That(edit.Body, Is.EqualTo($$$"""{"experiment_permission":{"experiment_id":"{{{id}}}","permission":"EDIT","user_id":3}}"""));
        Assert.That((await SendAsync(As("bob"), "POST", "/api/2.0/mlflow/runs/create", $$"""{"experiment_id":"{{id}}"}""")).Status, Is.EqualTo(200));
        Assert.That((await SendAsync(As("bob"), "POST", "/api/2.0/mlflow/experiments/delete", $$"""{"experiment_id":"{{id}}"}""")).Status, Is.EqualTo(403), "EDIT cannot delete");

        await SendAsync(As("alice"), "POST", "/api/2.0/mlflow/experiments/permissions/create", $$"""{"experiment_id":"{{id}}","username":"carol","permission":"NO_PERMISSIONS"}""");
        Assert.That((await SendAsync(As("carol"), "GET", $"/api/2.0/mlflow/experiments/get?experiment_id={id}")).Status, Is.EqualTo(403));
        var carolSearch = await SendAsync(As("carol"), "POST", "/api/2.0/mlflow/experiments/search", """{"max_results":10}""");
        Assert.That(Ids(carolSearch.Body), Is.EqualTo(new[] { "0" }), "the hidden experiment is filtered out");

        var update = await SendAsync(As("alice"), "PATCH", "/api/2.0/mlflow/experiments/permissions/update", $$"""{"experiment_id":"{{id}}","username":"bob","permission":"MANAGE"}""");
        var delete = await SendAsync(As("alice"), "DELETE", "/api/2.0/mlflow/experiments/permissions/delete", $$"""{"experiment_id":"{{id}}","username":"carol"}""");
        Assert.That((update.Status, update.Body), Is.EqualTo((200, "{}")));
        Assert.That((delete.Status, delete.Body), Is.EqualTo((200, "{}")));
        Assert.That((await SendAsync(As("carol"), "GET", $"/api/2.0/mlflow/experiments/get?experiment_id={id}")).Status, Is.EqualTo(200), "back to the default READ");

        var password = await SendAsync(As("bob"), "PATCH", "/api/2.0/mlflow/users/update-password", """{"username":"bob","password":"bobpw2"}""");
        Assert.That((password.Status, password.Body), Is.EqualTo((200, "{}")));
        Assert.That((await SendAsync(As("bob"), "GET", "/api/2.0/mlflow/users/get?username=bob")).Status, Is.EqualTo(401), "the old password is refused at once");
        Assert.That((await SendAsync(As("bob", "bobpw2"), "GET", "/api/2.0/mlflow/users/get?username=bob")).Status, Is.EqualTo(200));
        Assert.That((await SendAsync(As("bob", "bobpw2"), "PATCH", "/api/2.0/mlflow/users/update-admin", """{"username":"bob","is_admin":true}""")).Status, Is.EqualTo(403));
    }

    [Test]
    public async Task Errors_have_mlflow_s_codes_and_messages()
    {
        var admin = As(AdminName);
        await CreateUserAsync("bob");

        var duplicate = await SendAsync(admin, "POST", "/api/2.0/mlflow/users/create", """{"username":"bob","password":"x"}""");
        var empty = await SendAsync(admin, "POST", "/api/2.0/mlflow/users/create", """{"username":"","password":"x"}""");
        var missing = await SendAsync(admin, "POST", "/api/2.0/mlflow/users/create", """{"username":"zed"}""");
        var unknown = await SendAsync(admin, "GET", "/api/2.0/mlflow/users/get?username=nosuch");
        var badPermission = await SendAsync(admin, "POST", "/api/2.0/mlflow/experiments/permissions/create", """{"experiment_id":"1","username":"bob","permission":"WRITE"}""");
        await SendAsync(admin, "POST", "/api/2.0/mlflow/experiments/permissions/create", """{"experiment_id":"1","username":"bob","permission":"READ"}""");
        var duplicateRecord = await SendAsync(admin, "POST", "/api/2.0/mlflow/experiments/permissions/create", """{"experiment_id":"1","username":"bob","permission":"EDIT"}""");
        var noRecord = await SendAsync(admin, "GET", "/api/2.0/mlflow/registered-models/permissions/get?name=am&username=bob");
        var notBoolean = await SendAsync(admin, "PATCH", "/api/2.0/mlflow/users/update-admin", """{"username":"bob","is_admin":"yes"}""");
        var charset = await SendAsync(admin, "POST", "/api/2.0/mlflow/users/create", """{"username":"c","password":"x"}""", "application/json; charset=utf-8");
        var text = await SendAsync(admin, "POST", "/api/2.0/mlflow/users/create", """{"username":"d","password":"x"}""", "text/plain");

        AssertError(duplicate, 400, "RESOURCE_ALREADY_EXISTS", "User (username=bob) already exists.");
        AssertError(empty, 400, "INVALID_PARAMETER_VALUE", "Username cannot be empty.");
        AssertError(missing, 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'password'. See the API docs for more information about request parameters.");
        AssertError(unknown, 404, "RESOURCE_DOES_NOT_EXIST", "User with username=nosuch not found");
        AssertError(badPermission, 400, "INVALID_PARAMETER_VALUE", "Invalid permission 'WRITE'. Valid permissions are: ('READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')");
        AssertError(duplicateRecord, 400, "RESOURCE_ALREADY_EXISTS", "Experiment permission (experiment_id=1, username=bob) already exists.");
        AssertError(noRecord, 404, "RESOURCE_DOES_NOT_EXIST", "Registered model permission with name=am and username=bob not found");
        AssertError(notBoolean, 400, "BAD_REQUEST", "Not a boolean value: 'yes'. 'is_admin' must be true or false.");
        Assert.That((text.Status, text.Body), Is.EqualTo((400, "Invalid content type. Must be one of: application/x-www-form-urlencoded, application/json")));
        Assert.That(charset.Status, Is.EqualTo(200), "unlike MLflow, a charset parameter (which .NET's HttpClient adds) is accepted");
    }

    [Test]
    public async Task A_deleted_user_is_401_and_their_records_go_with_them()
    {
        await CreateUserAsync("bob");
        await GrantExperimentAsync("0", "bob", "EDIT");
        Assert.That((await SendAsync(As("bob"), "GET", "/version")).Status, Is.EqualTo(200));

        var deleted = await SendAsync(As(AdminName), "DELETE", "/api/2.0/mlflow/users/delete", """{"username":"bob"}""");
        await CreateUserAsync("bob");
        var fresh = await SendAsync(As(AdminName), "GET", "/api/2.0/mlflow/users/get?username=bob");

        Assert.That((deleted.Status, deleted.Body), Is.EqualTo((200, "{}")));
        Assert.That(fresh.Body, Does.Contain("\"experiment_permissions\":[]"), "a new user of the same name inherits nothing");
        Assert.That((await SendAsync(As("bob", "old"), "GET", "/version")).Status, Is.EqualTo(401));
    }

    [Test]
    public async Task Promoting_a_user_to_admin_lets_them_past_every_check()
    {
        await CreateUserAsync("bob");
        await GrantExperimentAsync("0", "bob", "NO_PERMISSIONS");
        Assert.That((await SendAsync(As("bob"), "GET", "/api/2.0/mlflow/experiments/get?experiment_id=0")).Status, Is.EqualTo(403));

        await SendAsync(As(AdminName), "PATCH", "/api/2.0/mlflow/users/update-admin", """{"username":"bob","is_admin":true}""");

        Assert.That((await SendAsync(As("bob"), "GET", "/api/2.0/mlflow/experiments/get?experiment_id=0")).Status, Is.EqualTo(200));
        Assert.That((await SendAsync(As("bob"), "POST", "/api/2.0/mlflow/users/create", """{"username":"x","password":"y"}""")).Status, Is.EqualTo(200));
    }

    private static void AssertError((int Status, string Body, HttpResponseMessage Response) answer, int status, string code, string message)
    {
        Assert.That(answer.Status, Is.EqualTo(status), answer.Body);
        var json = JsonDocument.Parse(answer.Body).RootElement;
        Assert.That(json.GetProperty("error_code").GetString(), Is.EqualTo(code));
        Assert.That(json.GetProperty("message").GetString(), Is.EqualTo(message));
    }

    private static string[] Ids(string body) =>
        JsonDocument.Parse(body).RootElement.TryGetProperty("experiments", out var list)
            ? [.. list.EnumerateArray().Select(e => e.GetProperty("experiment_id").GetString()!)]
            : [];
}
