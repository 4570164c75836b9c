using System.Globalization;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Faults;

/// <summary>The batched <see cref="ActiveRun"/> path over REST, unchanged, with a misbehaving server.</summary>
[TestFixture]
public sealed class ActiveRunOverRestTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task Active_run_logging_under_ten_percent_faults_arrives_exactly_once()
    {
        var fileStore = new FileTrackingStore(_directory.Combine("mlruns"));
        var faults = new FaultInjector(rate: 0.10, seed: 11, slowDelay: TimeSpan.FromSeconds(1.5));
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { Store = fileStore, Port = 0, ConfigurePipeline = faults.Install });
        using var store = new RestTrackingStore(server.Uri, FastRetries.Options(maxRetries: 8, requestTimeoutSeconds: 0.5));
        var client = new MlflowClient(store);
        const int points = 20_000;
        const int parameters = 150;
        const int tags = 150;

        var experiment = await client.GetOrCreateExperimentAsync("active-run-faults");
        string runId;
        await using (var run = await client.StartRunAsync(experiment, runName: "faulty"))
        {
            runId = run.RunId;
            for (var i = 0; i < points; i++)
            {
                run.LogMetric("loss", i, step: i);
                if (i % 100 == 0 && i / 100 < parameters)
                {
                    var n = (i / 100).ToString(CultureInfo.InvariantCulture);
                    run.LogParam("p" + n, n);
                    run.SetTag("t" + n, n);
                }

                if (i % 400 == 0)
                {
                    // Let the background writer send several smaller batches, as a training loop would.
                    await run.FlushAsync();
                }
            }

            await run.EndAsync();
        }

        var stored = await fileStore.GetRunAsync(runId);
        var history = await fileStore.GetMetricHistoryAsync(runId, "loss");
        Assert.That(faults.Faults, Is.Positive, "no fault was injected");
        Assert.That(history.Items.Select(m => m.Step), Is.EqualTo(Enumerable.Range(0, points).Select(i => (long)i)), "points lost, doubled or reordered");
        Assert.That(stored.Data.Params, Has.Count.EqualTo(parameters));
        Assert.That(stored.Data.Tags.Count(t => t.Key.StartsWith('t')), Is.EqualTo(tags));
        Assert.That(stored.Info.Status, Is.EqualTo(RunStatus.Finished));
    }

    [Test]
    public async Task Flush_to_a_server_that_went_away_fails_with_a_clear_error_after_the_retry_budget()
    {
        var server = await TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = _directory.Combine("mlruns"), Port = 0 });
        using var store = new RestTrackingStore(server.Uri, FastRetries.Options(maxRetries: 2));
        var client = new MlflowClient(store);
        var experiment = await client.GetOrCreateExperimentAsync("gone");
        var run = await client.StartRunAsync(experiment);
        await server.DisposeAsync();

        run.LogMetric("loss", 0.5);
        var error = await Assert.ThrowsAsync<MlflowException>(() => run.FlushAsync());

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.TemporarilyUnavailable));
        Assert.That(error.ToString(), Does.Contain("after 3 attempts").And.Contain("runs/log-batch"));

        // Ending the run needs the server too: it fails the same way, and nothing hangs.
        await Assert.ThrowsAsync<MlflowException>(async () => await run.DisposeAsync());
    }
}
