using System.Text;
using System.Text.Json;

namespace MlWorkflow.Server.Tests.Server;

/// <summary>Client mistakes and hostile input get a short 4xx in MLflow's format: never a 500, never the input echoed whole, never a server path or a .NET type name (issue 10.5, 10.7).</summary>
[TestFixture]
public sealed class HostileInputTests : ServerFixture
{
    private const int HugeLength = 30 * 1024 * 1024;
    private const int MaxAnswerBytes = 2_000;

    private static readonly string Huge = new('x', HugeLength);

    /// <summary>The 30 MB inputs reach the endpoints and the store (the default body limit would refuse them unread).</summary>
    protected override void Configure(TrackingServerOptions options) => options.MaxRequestBodyBytes = 64L * 1024 * 1024;

    [Test]
    public async Task By_default_a_30_MB_body_is_refused_with_a_short_400_the_client_reads()
    {
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = FileStore, Port = 0 });
        using var http = new HttpClient { BaseAddress = server.Uri };

        // The server drops the rest of the body (without keeping it) so that the client reads the refusal, not a reset upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/runs/search") { Content = new StringContent($"{{\"filter\": \"{Huge}\"}}", Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(text, Does.Contain("larger than 8,388,608 bytes"));
        Assert.That(text, Has.Length.LessThan(MaxAnswerBytes));
    }

    [TestCase("runs/search", "{\"experiment_ids\": [\"0\"], \"page_token\": \"HUGE\"}")]
    [TestCase("runs/search", "{\"experiment_ids\": [\"0\"], \"filter\": \"metrics.HUGE > 1 and and\"}")]
    [TestCase("runs/search", "{\"experiment_ids\": [\"0\"], \"filter\": \"attributes.run_name = 'HUGE\"}")]
    [TestCase("runs/update", "{\"run_id\": \"HUGE\", \"status\": \"FINISHED\"}")]
    [TestCase("experiments/search", "{\"max_results\": 10, \"page_token\": \"HUGE\"}")]
    [TestCase("experiments/create", "{\"name\": \"n\", \"artifact_location\": \"HUGE#fragment\"}")]
    public async Task A_30_MB_input_is_never_echoed_back(string endpoint, string template)
    {
        var (status, body, response) = await PostAsync("/api/2.0/mlflow/" + endpoint, template.Replace("HUGE", Huge, StringComparison.Ordinal));
        var length = (await response.Content.ReadAsByteArrayAsync()).Length;

        Assert.That(status, Is.InRange(400, 499), body.ToString());
        Assert.That(length, Is.LessThan(MaxAnswerBytes), "the answer quotes at most a short excerpt of the input");
        AssertSafe(body);
    }

    [TestCase("{\"name\": 5}", "name")]
    [TestCase("{\"name\": \"x\", \"tags\": [{\"key\": [1]}]}", "tags[0].key")]
    [TestCase("{\"name\": {\"a\": 1}}", "name")]
    public async Task A_value_of_the_wrong_type_is_a_400_naming_the_field(string json, string field)
    {
        var (status, body, _) = await PostAsync("/api/2.0/mlflow/experiments/create", json);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("INVALID_PARAMETER_VALUE"));
        Assert.That(body.GetProperty("message").GetString(), Does.Contain($"'{field}'"));
        AssertSafe(body);
    }

    [TestCase("[1, 2]")]
    [TestCase("\"text\"")]
    [TestCase("{\"name\": \"x\"")]
    [TestCase("{name: 1}")]
    [TestCase("{\"metrics\": [{\"value\": \"not a number\"}]}")]
    public async Task Malformed_json_is_a_400_without_type_names(string json)
    {
        var (status, body, _) = await PostAsync("/api/2.0/mlflow/runs/log-batch", json);

        Assert.That(status, Is.EqualTo(400), body.ToString());
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("INVALID_PARAMETER_VALUE"));
        AssertSafe(body);
    }

    [Test]
    public async Task A_metric_key_too_long_for_a_file_name_is_a_400()
    {
        var (_, runId) = await CreateRunAsync();
        var key = new string('é', 130);

        var (status, body, _) = await PostAsync("/api/2.0/mlflow/runs/log-batch", $"{{\"run_id\": \"{runId}\", \"metrics\": [{{\"key\": \"{key}\", \"value\": 1, \"timestamp\": 1}}]}}");

        Assert.That(status, Is.EqualTo(400), body.ToString());
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("INVALID_PARAMETER_VALUE"));
        AssertSafe(body);
    }

    [Test]
    public async Task A_param_key_too_long_for_a_file_name_is_a_400()
    {
        var (_, runId) = await CreateRunAsync();

        var (status, body, _) = await PostAsync("/api/2.0/mlflow/runs/log-parameter", $"{{\"run_id\": \"{runId}\", \"key\": \"{new string('ü', 200)}\", \"value\": \"v\"}}");

        Assert.That(status, Is.EqualTo(400), body.ToString());
        AssertSafe(body);
    }

    [TestCase(230)]
    [TestCase(255)]
    public async Task An_artifact_name_any_file_can_have_is_stored_whatever_the_temporary_name(int length)
    {
        var (experimentId, runId) = await CreateRunAsync();

        // The temporary file has a short name of its own, so every name a file can have works (issue 10.7).
        var (status, body) = await PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/{new string('a', length)}", "data");

        Assert.That(status, Is.EqualTo(200), body.ToString());
    }

    [Test]
    public async Task An_artifact_name_longer_than_a_file_name_can_be_is_a_400()
    {
        var (experimentId, runId) = await CreateRunAsync();

        var (status, body) = await PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/{new string('a', 256)}", "data");

        Assert.That(status, Is.EqualTo(400), body.ToString());
        AssertSafe(body);
    }

    [Test]
    public async Task An_artifact_under_an_existing_file_is_a_400()
    {
        var (experimentId, runId) = await CreateRunAsync();
        var root = $"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts";
        var (created, _) = await PutAsync(root + "/f.txt", "file");

        var (status, body) = await PutAsync(root + "/f.txt/child", "under a file");

        Assert.That(created, Is.EqualTo(200));
        Assert.That(status, Is.EqualTo(400), body.ToString());
        AssertSafe(body);
    }

    [Test]
    public async Task Deleting_the_default_experiment_is_a_400()
    {
        var (status, body, _) = await PostAsync("/api/2.0/mlflow/experiments/delete", "{\"experiment_id\": \"0\"}");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("INVALID_PARAMETER_VALUE"));
        Assert.That(body.GetProperty("message").GetString(), Does.Contain("default experiment"));
    }

    private async Task<(int Status, JsonElement Body)> PutAsync(string path, string content)
    {
        using var response = await Http.PutAsync(path, new StringContent(content, Encoding.UTF8));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>No server path, no .NET type or exception name in what the client reads.</summary>
    private void AssertSafe(JsonElement body)
    {
        var text = body.ToString();
        Assert.That(text, Does.Not.Contain(FileStore.RootDirectory), "the store's absolute path");
        Assert.That(text, Does.Not.Contain(Path.GetTempPath().TrimEnd(Path.DirectorySeparatorChar)), "a server path");
        Assert.That(text, Does.Not.Contain("MlWorkflow."), "a .NET type name");
        Assert.That(text, Does.Not.Contain("System."), "a .NET type name");
        Assert.That(text, Does.Not.Contain("Exception"), "an exception name");
    }
}
