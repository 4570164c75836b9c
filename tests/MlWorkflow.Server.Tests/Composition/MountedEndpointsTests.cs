using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Rest;


namespace MlWorkflow.Server.Tests.Composition;

/// <summary>The MLflow endpoints mounted into a plain ASP.NET Core application, under its own prefix and behind its own authentication.</summary>
[TestFixture]
public sealed class MountedEndpointsTests
{
    private const string Token = "team-token";

    [Test]
    public async Task Tracking_endpoints_under_a_prefix_next_to_a_user_endpoint_behind_the_app_s_own_auth()
    {
        using var directory = new TemporaryDirectory();
        var logs = new CollectingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddMlflowTrackingServer(o => o.BackendStoreUri = directory.Combine("mlruns"));
        await using var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization != "Bearer " + Token)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapGet("/hello", () => "the application's own endpoint");
        app.MapGroup("/team/mlflow").MapMlflow();
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var store = new RestTrackingStore(new Uri(baseUri, "/team/mlflow"), new RestStoreOptions { Token = Token, MaxRetries = 0 });
        var experimentId = await store.CreateExperimentAsync("mounted");
        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = 1_700_000_000_000 });
        await store.LogBatchAsync(run.Info.RunId, [new Metric("loss", 0.5, 1_700_000_000_001, 1), new Metric("loss", 0.25, 1_700_000_000_002, 2)], [new Param("lr", "0.1")], []);
        var read = await store.GetRunAsync(run.Info.RunId);
        var history = await store.GetMetricHistoryAsync(run.Info.RunId, "loss");

        using var http = new HttpClient { BaseAddress = baseUri };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        var hello = await http.GetStringAsync("/hello");
        using var anonymous = new HttpClient { BaseAddress = baseUri };
        using var refused = await anonymous.GetAsync($"/team/mlflow/api/2.0/mlflow/runs/get?run_id={run.Info.RunId}");
        using var unprefixed = await http.GetAsync($"/api/2.0/mlflow/runs/get?run_id={run.Info.RunId}");

        Assert.That(read.Data.Params.Single().Value, Is.EqualTo("0.1"));
        Assert.That(history.Items.Select(m => m.Value), Is.EqualTo(new[] { 0.5, 0.25 }));
        Assert.That(read.Info.ArtifactUri, Does.StartWith("mlflow-artifacts:/"));
        Assert.That(Directory.Exists(directory.Combine("mlruns", experimentId, run.Info.RunId)), Is.True, "the endpoints write to the store the options named");
        Assert.That(hello, Is.EqualTo("the application's own endpoint"));
        Assert.That((int)refused.StatusCode, Is.EqualTo(401), "the application's own authentication guards the MLflow endpoints");
        Assert.That((int)unprefixed.StatusCode, Is.EqualTo(404), "the endpoints live under the group's prefix only");
        Assert.That(logs.Lines.Any(l => l.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && l.Message.Contains("/team/mlflow/api/2.0/mlflow/runs/log-batch", StringComparison.Ordinal)), Is.True, "requests are logged by the application's logging");
    }

    [Test]
    public async Task Stores_registered_in_the_services_are_the_ones_served()
    {
        using var directory = new TemporaryDirectory();
        var store = new FileTrackingStore(directory.Combine("own"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<ITrackingStore>(store);
        builder.Services.AddMlflowTrackingServer();
        await using var app = builder.Build();
        app.MapMlflowTracking();
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var client = new RestTrackingStore(baseUri, new RestStoreOptions { MaxRetries = 0 });
        var experimentId = await client.CreateExperimentAsync("from-di");
        using var http = new HttpClient { BaseAddress = baseUri };
        using var registry = await http.GetAsync("/api/2.0/mlflow/registered-models/search");

        Assert.That((await store.GetExperimentAsync(experimentId)).Name, Is.EqualTo("from-di"));
        Assert.That((int)registry.StatusCode, Is.EqualTo(404), "only the tracking API was mapped");
    }

    [Test]
    public void Mapping_without_the_services_says_what_to_call()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapMlflow());

        Assert.That(error!.Message, Does.Contain("AddMlflowTrackingServer"));
    }

    [Test]
    public async Task Mapping_with_auth_options_set_is_refused_rather_than_served_unchecked()
    {
        using var directory = new TemporaryDirectory();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddMlflowTrackingServer(o =>
        {
            o.BackendStoreUri = directory.Combine("mlruns");
            o.Auth = new MlWorkflow.Server.Auth.MlflowAuthOptions { DatabaseUri = "sqlite:///" + directory.Combine("auth.db") };
        });
        await using var app = builder.Build();

        Assert.Multiple(() =>
        {
            foreach (var map in new Action[] { () => app.MapMlflow(), () => app.MapMlflowTracking(), () => app.MapMlflowRegistry(), () => app.MapMlflowArtifacts(), () => app.MapMlflowUi() })
            {
                var error = Assert.Throws<InvalidOperationException>(() => map());
                Assert.That(error!.Message, Does.Contain("only TrackingServer").And.Contain("RequireAuthorization"));
            }
        });
        Assert.That(((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints), Is.Empty, "nothing was mapped");
    }
}
