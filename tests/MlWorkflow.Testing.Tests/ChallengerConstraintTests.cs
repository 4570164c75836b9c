using Microsoft.ML;
using MlWorkflow.Testing.Fixtures;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Training;

namespace MlWorkflow.Testing.Tests;

/// <summary><c>Is.NoWorseThan(champion).On(golden).By(metric, margin)</c>: the release gate as an NUnit constraint.</summary>
public sealed class ChallengerConstraintTests
{
    [Test]
    public async Task A_deliberately_worse_candidate_fails_with_both_values_the_margin_the_digest_and_the_runs()
    {
        await using var store = TemporaryTrackingStore.Create();
        var ml = new MLContext(3);
        var golden = Cars.Generate(ml, seed: 11);
        using var champion = await TrainAsync(store.Client, ml, trees: 50);
        var version = await champion.Tracking!.RegisterAsync("cars");
        await store.Client.Registry.TransitionStageAsync("cars", version.Version, ModelVersionStage.Production);
        using var worse = await TrainAsync(store.Client, ml, trees: 1);

        var constraint = Is.NoWorseThan("models:/cars/Production").On(golden).By("rmse", margin: 0.01);
        var thrown = Assert.Throws<AssertionException>(() => Assert.That(worse, constraint));

        var digest = (await MlWorkflow.Data.DataSource.FromDataView(golden, "golden").DescribeAsync(ml)).Digest;
        Assert.That(thrown.Message, Does.Match(
            $@"Candidate \(run '{worse.Tracking!.RunId}'\) rmse [0-9.E-]+ vs champion 'models:/cars/Production' \(version 1, run '{champion.Tracking.RunId}'\) [0-9.E-]+ " +
            $@"on data set digest '{digest}' \(lower is better, margin 0.01\): worse\."));
        Assert.That(constraint.Promoted, Is.Null);
    }

    [Test]
    public async Task A_better_candidate_passes_and_is_promoted_when_asked()
    {
        await using var store = TemporaryTrackingStore.Create();
        var ml = new MLContext(3);
        var golden = Cars.Generate(ml, seed: 11);
        using var champion = await TrainAsync(store.Client, ml, trees: 1);
        var version = await champion.Tracking!.RegisterAsync("cars");
        await store.Client.Registry.SetAliasAsync("cars", "champion", version.Version);
        using var better = await TrainAsync(store.Client, ml, trees: 50);

        var gate = Is.NoWorseThan("models:/cars@champion").On(golden).By("rmse", margin: 0.01).AndPromote("cars");
        Assert.That(better, gate);

        Assert.That(gate.Promoted, Is.Not.Null);
        var current = await store.Client.Registry.GetModelVersionAsync("models:/cars@champion");
        Assert.That(current.Version, Is.EqualTo(gate.Promoted!.Version).And.Not.EqualTo(version.Version));
        Assert.That(current.RunId, Is.EqualTo(better.Tracking!.RunId));
    }

    [Test]
    public async Task The_async_form_awaits_the_gate_and_a_failing_gate_promotes_nothing()
    {
        await using var store = TemporaryTrackingStore.Create();
        var ml = new MLContext(3);
        var golden = Cars.Generate(ml, seed: 11);
        using var champion = await TrainAsync(store.Client, ml, trees: 50);
        var version = await champion.Tracking!.RegisterAsync("cars");
        await store.Client.Registry.SetAliasAsync("cars", "champion", version.Version);
        using var worse = await TrainAsync(store.Client, ml, trees: 1);

        var gate = Is.NoWorseThan("models:/cars@champion").On(golden).By("rmse").AndPromote("cars");
        var thrown = await Assert.ThrowsAsync<AssertionException>(async () => await Assert.ThatAsync(() => Task.FromResult(worse), gate));
        Assert.That(thrown.Message, Does.Contain("margin 0): worse."));
        Assert.That((await store.Client.Registry.GetModelVersionAsync("models:/cars@champion")).Version, Is.EqualTo(version.Version), "the champion stays");

        // A bare model needs its task; with it, the gate compares it as well (the champion against itself is no worse).
        Assert.That(Assert.Throws<ArgumentException>(() => Assert.That(worse.Model, Is.NoWorseThan("models:/cars@champion").On(golden).By("rmse").Using(store.Client))).Message,
            Does.StartWith("A bare ITransformer candidate needs its task"));
        Assert.That(champion.Model, Is.NoWorseThan("models:/cars@champion").On(golden).By("rmse").Using(store.Client).ForTask(LearningTask.Regression, "hwy"));
    }

    private static Task<WorkflowResult> TrainAsync(MlflowClient client, MLContext ml, int trees) =>
        MlWorkflow.Workflow.Create(3)
            .Load(Cars.Generate(ml))
            .Features(f => f.OneHot("drv"))
            .Label("hwy")
            .Split(0.2)
            .Train(Trainers.Regression.FastTree(trees: trees, leaves: trees == 1 ? 2 : 8, minExamplesPerLeaf: 5))
            .Track(client, "cars")
            .RunAsync();
}
