using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.Stores.File;


namespace MlWorkflow.Server.Tests.Server;

/// <summary>The server answers only requests addressed to its own names, against DNS rebinding (issue 10.8).</summary>
[TestFixture]
public sealed class HostHeaderTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task A_loopback_server_refuses_a_foreign_host_and_applies_nothing()
    {
        await using var server = await StartAsync();
        var store = new FileTrackingStore(_directory.Combine("mlruns"));
        var experimentId = await store.CreateExperimentAsync("kept");

        var (status, body) = await SendAsync(server, "rebinding.attacker.example", HttpMethod.Post, "/api/2.0/mlflow/experiments/delete", $"{{\"experiment_id\": \"{experimentId}\"}}");

        Assert.That(status, Is.EqualTo(403));
        Assert.That(body.GetProperty("error_code").GetString(), Is.EqualTo("PERMISSION_DENIED"));
        Assert.That(body.GetProperty("message").GetString(), Does.Contain("rebinding.attacker.example").And.Contain("--allowed-hosts").And.Contain("localhost"));
        Assert.That((await store.GetExperimentAsync(experimentId)).LifecycleStage, Is.EqualTo(LifecycleStage.Active));
    }

    [TestCase("localhost")]
    [TestCase("127.0.0.1")]
    [TestCase("[::1]")]
    [TestCase("LOCALHOST")]
    public async Task A_loopback_server_answers_its_loopback_names(string host)
    {
        await using var server = await StartAsync();

        var (status, _) = await SendAsync(server, $"{host}:{server.Uri.Port}", HttpMethod.Get, "/api/2.0/mlflow/experiments/get?experiment_id=0");

        Assert.That(status, Is.EqualTo(200));
    }

    [Test]
    public async Task Allowed_hosts_replace_the_defaults_and_accept_subdomain_patterns()
    {
        await using var server = await StartAsync(o => o.AllowedHosts = ["tracking.example", "*.corp.example"]);

        var (named, _) = await SendAsync(server, "tracking.example", HttpMethod.Get, "/health");
        var (subdomain, _) = await SendAsync(server, "mlflow.team.corp.example:8080", HttpMethod.Get, "/health");
        var (bare, _) = await SendAsync(server, "corp.example", HttpMethod.Get, "/health");
        var (loopback, _) = await SendAsync(server, "localhost", HttpMethod.Get, "/health");

        Assert.That(named, Is.EqualTo(200));
        Assert.That(subdomain, Is.EqualTo(200));
        Assert.That(bare, Is.EqualTo(403));
        Assert.That(loopback, Is.EqualTo(403), "the list replaces the defaults");
    }

    [Test]
    public async Task A_star_accepts_any_host()
    {
        await using var server = await StartAsync(o => o.AllowedHosts = ["*"]);

        var (status, _) = await SendAsync(server, "anything.example", HttpMethod.Get, "/health");

        Assert.That(status, Is.EqualTo(200));
    }

    [Test]
    public async Task Listening_on_all_interfaces_warns_at_start_and_still_answers_loopback_names()
    {
        var logs = new CollectingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var server = await StartAsync(o =>
        {
            o.Host = "0.0.0.0";
            o.LoggerFactory = loggers;
        });

        var (status, _) = await SendAsync(server, "127.0.0.1", HttpMethod.Get, "/health", address: IPAddress.Loopback);
        var (foreign, _) = await SendAsync(server, "rebinding.attacker.example", HttpMethod.Get, "/health", address: IPAddress.Loopback);

        Assert.That(status, Is.EqualTo(200));
        Assert.That(foreign, Is.EqualTo(403));
        Assert.That(logs.Lines.Where(l => l.Level == LogLevel.Warning && l.Category == "MlWorkflow.Server").Select(l => l.Message), Has.Some.Contains("no authentication"));
    }

    [Test]
    public async Task A_loopback_server_logs_no_warning()
    {
        var logs = new CollectingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var server = await StartAsync(o => o.LoggerFactory = loggers);

        Assert.That(logs.Lines.Where(l => l.Level >= LogLevel.Warning), Is.Empty);
    }

    private async Task<TrackingServer> StartAsync(Action<TrackingServerOptions>? configure = null)
    {
        var options = new TrackingServerOptions { BackendStoreUri = _directory.Combine("mlruns"), Port = 0 };
        configure?.Invoke(options);
        return await TrackingServer.StartAsync(options);
    }

    private static async Task<(int Status, JsonElement Body)> SendAsync(TrackingServer server, string host, HttpMethod method, string path, string? json = null, IPAddress? address = null)
    {
        using var http = new HttpClient { BaseAddress = new UriBuilder(server.Uri) { Host = (address ?? IPAddress.Loopback).ToString() }.Uri };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : JsonSerializer.SerializeToElement(text));
    }
}
