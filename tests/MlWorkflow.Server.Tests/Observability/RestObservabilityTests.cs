using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.DependencyInjection;
using MlWorkflow.Tracking.Diagnostics;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Observability;

/// <summary>Retries and REST calls seen through a real ILogger, an ActivityListener and a MeterListener (issues 11.8, 12.8).</summary>
[NonParallelizable]
public sealed class RestObservabilityTests
{
    private const string ExperimentJson = "{\"experiment\": {\"experiment_id\": \"0\", \"name\": \"Default\", \"artifact_location\": \"mlflow-artifacts:/0\", \"lifecycle_stage\": \"active\"}}";

    private readonly ConcurrentQueue<Activity> _activities = new();
    private CollectingLoggerProvider _logs = null!;
    private ILoggerFactory _loggerFactory = null!;
    private ActivityListener _listener = null!;
    private int _requests;

    [SetUp]
    public void SetUp()
    {
        _requests = 0;
        _logs = new CollectingLoggerProvider();
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MlflowDiagnostics.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [TearDown]
    public void TearDown()
    {
        _listener.Dispose();
        _loggerFactory.Dispose();
        _logs.Dispose();
    }

    /// <summary>A server that answers 503 to the first <paramref name="failures"/> requests, then the Default experiment.</summary>
    private Task<LoopbackApp> FlakyServerAsync(int failures) => LoopbackApp.StartAsync(async context =>
    {
        var attempt = Interlocked.Increment(ref _requests);
        context.Response.ContentType = "application/json";
        if (attempt <= failures)
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("{\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"warming up\"}");
            return;
        }

        await context.Response.WriteAsync(ExperimentJson);
    });

    private RestStoreOptions Fast(int maxRetries = 3)
    {
        var options = FastRetries.Options(maxRetries);
        options.LoggerFactory = _loggerFactory;
        return options;
    }

    [Test]
    public async Task Each_retry_is_logged_with_its_reason_and_wait_and_traced_on_the_call_s_activity()
    {
        await using var server = await FlakyServerAsync(failures: 2);
        using var store = new RestTrackingStore(server.Uri, Fast());
        var retries = new ConcurrentQueue<(long Value, string? Endpoint)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MlflowDiagnostics.MeterName && instrument.Name == "mlworkflow.tracking.rest.retries")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            retries.Enqueue((value, tags.ToArray().FirstOrDefault(t => t.Key == "mlflow.endpoint").Value as string)));
        meters.Start();

        var experiment = await store.GetExperimentAsync("0");

        Assert.That(experiment.Name, Is.EqualTo("Default"));
        var retryLines = _logs.Lines.Where(l => l.Category == MlflowDiagnostics.RestLogCategory && l.Level == LogLevel.Warning).ToList();
        Assert.That(retryLines, Has.Count.EqualTo(2));
        Assert.That(retryLines[0].Message, Does.Contain("experiments/get").And.Contain("HTTP 503").And.Contain("retry 1 of 3").And.Contain(" in 0 s"));
        Assert.That(retryLines[1].Message, Does.Contain("retry 2 of 3").And.Match(@"in 0\.0\d+ s"));

        var call = _activities.Single(a => a.OperationName == MlflowDiagnostics.RestActivityName && (int?)a.GetTagItem("server.port") == server.Uri.Port);
        Assert.That(call.Kind, Is.EqualTo(ActivityKind.Client));
        Assert.That(call.DisplayName, Is.EqualTo("GET experiments/get"));
        Assert.That(call.GetTagItem("http.response.status_code"), Is.EqualTo(200));
        Assert.That(call.GetTagItem("url.full"), Is.EqualTo(new Uri(server.Uri, "/api/2.0/mlflow/experiments/get").ToString()));
        Assert.That(call.GetTagItem("mlflow.retries"), Is.EqualTo(2));
        Assert.That(call.Events.Where(e => e.Name == "retry").Select(e => e.Tags.First(t => t.Key == "mlflow.retry.reason").Value), Is.EqualTo(new[] { "HTTP 503 Service Unavailable", "HTTP 503 Service Unavailable" }));
        Assert.That(retries.Where(r => r.Endpoint == "experiments/get").Sum(r => r.Value), Is.EqualTo(2));
    }

    [Test]
    public async Task Without_a_logger_factory_retries_are_shown_on_stderr()
    {
        await using var server = await FlakyServerAsync(failures: 1);
        using var store = new RestTrackingStore(server.Uri, FastRetries.Options());
        var original = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            await store.GetExperimentAsync("0");
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.That(captured.ToString(), Does.Contain($"MlWorkflow warning: MLflow API request experiments/get to {server.Uri.ToString().TrimEnd('/')} failed (HTTP 503 Service Unavailable); retry 1 of 3 in 0 s"));
    }

    [Test]
    public async Task A_server_that_never_recovers_gives_an_error_saying_how_long_it_tried_and_how_to_change_it()
    {
        await using var server = await FlakyServerAsync(failures: int.MaxValue);
        using var store = new RestTrackingStore(server.Uri, Fast(maxRetries: 2));

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync("0"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.TemporarilyUnavailable));
        Assert.That(error.Message, Does.Contain("warming up").And.Contain("after 3 attempts over").And.Contain("MLFLOW_HTTP_REQUEST_MAX_RETRIES (now 2)").And.Contain("MLFLOW_HTTP_REQUEST_TIMEOUT"));
        Assert.That(_logs.Lines.Count(l => l.Level == LogLevel.Warning), Is.EqualTo(2));
        Assert.That(_logs.Lines.Single(l => l.Level == LogLevel.Error).Message, Does.Contain("failed after 3 attempt(s)"));
    }

    [Test]
    public async Task An_unreachable_server_logs_each_retry_and_the_error_says_how_long_was_spent()
    {
        // A port that was just free: nothing listens there.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var store = new RestTrackingStore(new Uri($"http://127.0.0.1:{port}"), Fast(maxRetries: 2));

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync("0"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.TemporarilyUnavailable));
        Assert.That(error.Message, Does.Match(@"after 3 attempts over \d+(\.\d+)? s").And.Contain("MLFLOW_HTTP_REQUEST_MAX_RETRIES"));
        var retryLines = _logs.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message).ToList();
        Assert.That(retryLines, Has.Count.EqualTo(2));
        Assert.That(retryLines, Has.All.Contain($"127.0.0.1:{port}").And.All.Contain("refused"));
    }

    [Test]
    public async Task AddMlflow_builds_a_client_on_the_host_s_logger_and_http_client_factory()
    {
        await using var server = await FlakyServerAsync(failures: 1);
        var sent = 0;
        var services = new ServiceCollection()
            .AddLogging(builder => builder.AddProvider(_logs))
            .AddMlflow(options =>
            {
                options.TrackingUri = server.Uri.ToString();
                options.Rest = FastRetries.Options();
            });
        services.AddHttpClient(MlflowOptions.HttpClientName).AddHttpMessageHandler(() => new CountingHandler(() => Interlocked.Increment(ref sent)));
        MlflowClient client;
        await using (var provider = services.BuildServiceProvider())
        {
            client = provider.GetRequiredService<MlflowClient>();
            var experiment = await client.GetExperimentAsync("0");

            Assert.That(experiment.Name, Is.EqualTo("Default"));
            Assert.That(provider.GetRequiredService<ITrackingStore>(), Is.SameAs(client.Store));
            Assert.That(sent, Is.EqualTo(2), "both attempts went through the factory's client");
            Assert.That(_logs.Lines.Count(l => l.Category == MlflowDiagnostics.RestLogCategory && l.Level == LogLevel.Warning), Is.EqualTo(1));
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetExperimentAsync("0"), "the container disposed the client and its store");
    }

    [Test]
    public async Task A_client_disposes_only_what_it_opened()
    {
        await using var server = await FlakyServerAsync(failures: 0);
        using var store = new RestTrackingStore(server.Uri, Fast());
        var client = new MlflowClient(store);

        await client.DisposeAsync();

        Assert.That((await store.GetExperimentAsync("0")).Name, Is.EqualTo("Default"), "a store passed in stays open");
    }

    private sealed class CountingHandler(Action onSend) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
