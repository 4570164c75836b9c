using MlWorkflow.Testing.Fixtures;
using MlWorkflow.Tracking;

namespace ModelTests;

/// <summary>The CI release gate: a new candidate replaces the champion only when it is no worse on the golden data.</summary>
public sealed class ReleaseGateTests
{
    [Test]
    public async Task A_candidate_no_worse_than_production_is_promoted_to_champion()
    {
        using var candidate = await QuickStartModel.TrainAsync(SalesForecastSuite.Store.Client, trees: 30, seed: 7);

        var gate = Is.NoWorseThan($"models:/{QuickStartModel.Name}/Production").On(SalesForecastSuite.Golden).By("rmse", margin: 0.01).AndPromote(QuickStartModel.Name);
        Assert.That(candidate, gate);

        var champion = await SalesForecastSuite.Store.Client.Registry.GetModelVersionAsync($"models:/{QuickStartModel.Name}@champion");
        Assert.That(champion.RunId, Is.EqualTo(candidate.Tracking!.RunId));
    }

    [Test]
    public async Task A_weaker_candidate_is_stopped_at_the_gate()
    {
        using var weak = await QuickStartModel.TrainAsync(SalesForecastSuite.Store.Client, trees: 1, seed: 7);

        var thrown = Assert.Throws<AssertionException>(() =>
            Assert.That(weak, Is.NoWorseThan($"models:/{QuickStartModel.Name}/Production").On(SalesForecastSuite.Golden).By("rmse", margin: 0.01)));
        Assert.That(thrown.Message, Does.Contain("(lower is better, margin 0.01): worse."));
    }

    [Test]
    [NonParallelizable]
    public async Task Code_that_reads_MLFLOW_TRACKING_URI_finds_a_server_started_for_the_test()
    {
        await using var server = await InProcessTrackingServer.StartAsync();
        string runId;
        using (EnvironmentScope.TrackingUri(server.TrackingUri))
        {
            // The code under test makes its own client from the environment, as MLflow code does.
            await using var client = MlflowClient.Create();
            using var result = await QuickStartModel.TrainAsync(client, trees: 5);
            runId = result.Tracking!.RunId;
        }

        Assert.That(await server.Client.GetRunAsync(runId), Has.Metric("r2").AtLeast(0.8));
    }
}
