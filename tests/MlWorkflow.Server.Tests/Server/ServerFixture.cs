using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Tests.Server;

/// <summary>A server on a fresh file store, and raw HTTP helpers, for tests of the wire format itself.</summary>
public abstract class ServerFixture
{
    private TemporaryDirectory _directory = null!;

    protected TrackingServer Server { get; private set; } = null!;

    protected FileTrackingStore FileStore { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    [SetUp]
    public async Task StartServer()
    {
        _directory = new TemporaryDirectory();
        FileStore = new FileTrackingStore(_directory.Combine("mlruns"));
        var options = new TrackingServerOptions { Store = FileStore, Port = 0 };
        Configure(options);
        Server = await TrackingServer.StartAsync(options);
        Http = new HttpClient { BaseAddress = Server.Uri };
    }

    [TearDown]
    public async Task StopServer()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        FileStore.Dispose();
        _directory.Dispose();
    }

    /// <summary>Changes the server's settings before it starts.</summary>
    protected virtual void Configure(TrackingServerOptions options)
    {
    }

    protected string TempPath(params string[] parts) => _directory.Combine(parts);

    protected async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string path, string json, string? contentType = "application/json", string? idempotencyKey = null)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await ParseAsync(response), response);
    }

    protected async Task<(int Status, JsonElement Body)> GetAsync(string pathAndQuery)
    {
        using var response = await Http.GetAsync(pathAndQuery);
        return ((int)response.StatusCode, await ParseAsync(response));
    }

    protected async Task<(string ExperimentId, string RunId)> CreateRunAsync()
    {
        var experimentId = await FileStore.CreateExperimentAsync("wire");
        var run = await FileStore.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = 1_700_000_000_000 });
        return (experimentId, run.Info.RunId);
    }

    private static async Task<JsonElement> ParseAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : JsonSerializer.SerializeToElement(text);
    }
}
