using System.Net.Http.Headers;
using System.Text;
using MlWorkflow.Server.Auth;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Server.Tests.Auth;

/// <summary>A server with auth on a fresh file store (users in <c>basic_auth.db</c> beside it), an admin, and HTTP helpers acting as one user or another.</summary>
public abstract class AuthServerFixture
{
    protected const string AdminName = "admin";
    protected const string AdminPassword = "admin-password-1";

    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private TemporaryDirectory _directory = null!;

    protected TrackingServer Server { get; private set; } = null!;

    protected FileTrackingStore FileStore { get; private set; } = null!;

    internal TemporaryDirectory Directory => _directory;

    /// <summary>Anonymous HTTP.</summary>
    protected HttpClient Anonymous { get; private set; } = null!;

    /// <summary>The default permission of the server the test starts. The default is READ, as MLflow's.</summary>
    protected virtual MlflowPermissionLevel DefaultPermission => MlflowPermissionLevel.Read;

    [SetUp]
    public async Task StartServer()
    {
        _directory = new TemporaryDirectory();
        FileStore = new FileTrackingStore(_directory.Combine("mlruns"));
        var options = new TrackingServerOptions
        {
            Store = FileStore,
            Port = 0,
            Auth = new MlflowAuthOptions
            {
                AdminUsername = AdminName,
                AdminPassword = AdminPassword,
                DefaultPermission = DefaultPermission,
                PasswordHashIterations = 1000, // the default's 600,000 cost ~0.2 s per hash; one test checks the default
            },
        };
        Configure(options);
        Server = await TrackingServer.StartAsync(options);
        Anonymous = new HttpClient { BaseAddress = Server.Uri };
    }

    [TearDown]
    public async Task StopServer()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
        Anonymous.Dispose();
        await Server.DisposeAsync();
        FileStore.Dispose();
        _directory.Dispose();
    }

    protected virtual void Configure(TrackingServerOptions options)
    {
    }

    /// <summary>HTTP as a user, with Basic credentials.</summary>
    protected HttpClient As(string user, string? password = null)
    {
        password ??= user == AdminName ? AdminPassword : user + "-pw";
        var key = user + "\n" + password;
        if (!_clients.TryGetValue(key, out var client))
        {
            client = new HttpClient { BaseAddress = Server.Uri };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
            _clients[key] = client;
        }

        return client;
    }

    protected static async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpClient client, string method, string path, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Creates a user (password <c>&lt;name&gt;-pw</c>) as the admin.</summary>
    protected async Task CreateUserAsync(string name)
    {
        var (status, body, _) = await SendAsync(As(AdminName), "POST", "/api/2.0/mlflow/users/create", $$"""{"username":"{{name}}","password":"{{name}}-pw"}""");
        Assert.That(status, Is.EqualTo(200), body);
    }

    /// <summary>Gives a user a permission on an experiment (as the admin).</summary>
    protected async Task GrantExperimentAsync(string experimentId, string user, string permission)
    {
        var (status, body, _) = await SendAsync(As(AdminName), "POST", "/api/2.0/mlflow/experiments/permissions/create", $$"""{"experiment_id":"{{experimentId}}","username":"{{user}}","permission":"{{permission}}"}""");
        Assert.That(status, Is.EqualTo(200), body);
    }

    /// <summary>Gives a user a permission on a registered model (as the admin).</summary>
    protected async Task GrantModelAsync(string name, string user, string permission)
    {
        var (status, body, _) = await SendAsync(As(AdminName), "POST", "/api/2.0/mlflow/registered-models/permissions/create", $$"""{"name":"{{name}}","username":"{{user}}","permission":"{{permission}}"}""");
        Assert.That(status, Is.EqualTo(200), body);
    }

    /// <summary>An experiment with a run (a metric <c>m</c>, a tag <c>t</c>, an artifact <c>a.txt</c>) and a registered model <c>m</c> with version 1 (tag <c>t</c>, alias <c>champion</c>), written to the stores directly.</summary>
    protected async Task<(string ExperimentId, string RunId)> SeedAsync(string experimentName = "shared")
    {
        var experimentId = await FileStore.CreateExperimentAsync(experimentName);
        var run = await FileStore.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = 1_700_000_000_000 });
        var runId = run.Info.RunId;
        await FileStore.LogBatchAsync(runId, [new Metric("m", 1.0, 1_700_000_000_000, 0)], [], [new RunTag("t", "v")]);
        var artifacts = FileUris.ToPath(run.Info.ArtifactUri);
        System.IO.Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "a.txt"), "hello");
        var registry = Server.Registry!;
        await registry.CreateRegisteredModelAsync("m");
        await registry.CreateModelVersionAsync(new CreateModelVersionRequest("m", run.Info.ArtifactUri) { RunId = runId });
        await registry.SetModelVersionTagAsync("m", 1, new ModelVersionTag("t", "v"));
        await registry.SetRegisteredModelTagAsync("m", new RegisteredModelTag("t", "v"));
        await registry.SetRegisteredModelAliasAsync("m", "champion", 1);
        return (experimentId, runId);
    }
}
