using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Rest;

/// <summary>The whole retry pipeline on a fake clock: the waits it asks for are MLflow's, and <c>Retry-After</c> wins.</summary>
[TestFixture]
public sealed class RetryScheduleTests
{
    private TemporaryDirectory _directory = null!;
    private TrackingServer? _server;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _directory.Dispose();
    }

    /// <summary>A server whose first <paramref name="failures"/> API answers are <paramref name="status"/> (with an optional Retry-After), then real.</summary>
    private async Task<Uri> FailFirstAsync(int failures, int status, string? retryAfter)
    {
        var count = 0;
        _server = await TrackingServer.StartAsync(new TrackingServerOptions
        {
            BackendStoreUri = _directory.Combine("mlruns"),
            Port = 0,
            ConfigurePipeline = app => app.Use(async (HttpContext context, RequestDelegate next) =>
            {
                if (Interlocked.Increment(ref count) > failures)
                {
                    await next(context);
                    return;
                }

                context.Response.StatusCode = status;
                if (retryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = retryAfter;
                }

                await context.Response.WriteAsync("{\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"later\"}", Encoding.UTF8);
            }),
        });
        return _server.Uri;
    }

    private static RestStoreOptions DefaultsOn(TimeProvider clock) => new() { TimeProvider = clock };

    [Test]
    public async Task Three_503s_wait_nothing_then_about_4_then_about_8_seconds()
    {
        var clock = new RecordingClock(fireBelow: TimeSpan.FromSeconds(100));
        using var store = new RestTrackingStore(await FailFirstAsync(3, 503, retryAfter: null), DefaultsOn(clock));

        var experiment = await store.GetExperimentAsync("0");

        var waits = clock.Delays.Where(d => d < TimeSpan.FromSeconds(100)).ToArray();
        Assert.That(experiment.Name, Is.EqualTo("Default"));
        Assert.That(waits, Has.Length.EqualTo(2));
        Assert.That(waits[0].TotalSeconds, Is.InRange(4.0, 5.0));
        Assert.That(waits[1].TotalSeconds, Is.InRange(8.0, 9.0));
        Assert.That(clock.Delays, Has.Some.EqualTo(TimeSpan.FromSeconds(120)), "the per-try timeout is armed on the same clock");
    }

    [Test]
    public async Task A_429_with_retry_after_waits_exactly_that_long()
    {
        var clock = new RecordingClock(fireBelow: TimeSpan.FromSeconds(100));
        using var store = new RestTrackingStore(await FailFirstAsync(1, 429, retryAfter: "37"), DefaultsOn(clock));

        await store.GetExperimentAsync("0");

        Assert.That(clock.Delays.Where(d => d < TimeSpan.FromSeconds(100)), Is.EqualTo(new[] { TimeSpan.FromSeconds(37) }));
    }
}
