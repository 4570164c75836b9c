using Microsoft.ML;
using MlWorkflow.Testing.Fixtures;
using MlWorkflow.Testing.Metrics;
using MlWorkflow.Testing.Models;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Training;

namespace MlWorkflow.Testing.Tests;

public sealed class ChampionChallengerTests
{
    private static readonly ChallengeOptions ByRmse = new() { Task = LearningTask.Regression, Metric = "rmse", Margin = 0.01, LabelColumn = "hwy" };

    [Test]
    public async Task A_worse_candidate_fails_the_gate_and_is_not_promoted()
    {
        await using var store = TemporaryTrackingStore.Create();
        var ml = new MLContext(3);
        var golden = Cars.Generate(ml, seed: 11);
        using var champion = await TrainAsync(store, ml, Trainers.Regression.FastTree(trees: 50, leaves: 8, minExamplesPerLeaf: 5));
        var version = await champion.Tracking!.RegisterAsync("cars");
        await store.Client.Registry.SetAliasAsync("cars", "champion", version.Version);

        using var worse = await TrainAsync(store, ml, Trainers.Regression.FastTree(trees: 1, leaves: 2, minExamplesPerLeaf: 5));
        var result = await ChampionChallenger.CompareAsync(store.Client, worse.Model, "models:/cars@champion", golden, ByRmse);

        Assert.That(result.Passed, Is.False);
        Assert.That(result.CandidateValue, Is.GreaterThan(result.ChampionValue + 0.01));
        Assert.That(result.Message, Is.EqualTo(
            $"Candidate rmse {result.CandidateValue:R} vs champion 'models:/cars@champion' (version {version.Version}, run '{champion.Tracking.RunId}') {result.ChampionValue:R} " +
            $"on data set digest '{result.DatasetDigest}' (lower is better, margin 0.01): worse."));
        Assert.That(result.DatasetDigest, Does.Match("^[0-9a-f]{16}$"));
        Assert.Throws<ModelAssertionException>(result.ThrowIfFailed);
        Assert.That(await ChampionChallenger.PromoteIfPassedAsync(result, worse.Tracking!, "cars"), Is.Null);
        var current = await store.Client.Registry.GetModelVersionAsync("models:/cars@champion");
        Assert.That(current.Version, Is.EqualTo(version.Version), "the champion stays");
    }

    [Test]
    public async Task A_better_candidate_passes_the_gate_and_is_promoted()
    {
        await using var store = TemporaryTrackingStore.Create();
        var ml = new MLContext(3);
        var golden = Cars.Generate(ml, seed: 11);
        using var champion = await TrainAsync(store, ml, Trainers.Regression.FastTree(trees: 1, leaves: 2, minExamplesPerLeaf: 5));
        var version = await champion.Tracking!.RegisterAsync("cars");
        await store.Client.Registry.SetAliasAsync("cars", "champion", version.Version);

        using var better = await TrainAsync(store, ml, Trainers.Regression.FastTree(trees: 50, leaves: 8, minExamplesPerLeaf: 5));
        var result = await ChampionChallenger.CompareAsync(store.Client, better.Model, "models:/cars@champion", golden, ByRmse);

        Assert.That(result.Passed, Is.True, result.Message);
        Assert.That(result.Message, Does.EndWith("no worse."));
        var promoted = await ChampionChallenger.PromoteIfPassedAsync(result, better.Tracking!, "cars");
        Assert.That(promoted, Is.Not.Null);
        var current = await store.Client.Registry.GetModelVersionAsync("models:/cars@champion");
        Assert.That(current.Version, Is.EqualTo(promoted!.Version).And.Not.EqualTo(version.Version));
    }

    [Test]
    public async Task The_gate_reads_the_production_model_through_an_in_process_server()
    {
        await using var server = await InProcessTrackingServer.StartAsync();
        var ml = new MLContext(3);
        var golden = Cars.Generate(ml, seed: 11);
        using var champion = await TrainAsync(server.Client, ml, Trainers.Regression.FastTree(trees: 50, leaves: 8, minExamplesPerLeaf: 5));
        var version = await champion.Tracking!.RegisterAsync("cars");
        await server.Client.Registry.TransitionStageAsync("cars", version.Version, ModelVersionStage.Production);

        using var worse = await TrainAsync(server.Client, ml, Trainers.Regression.FastTree(trees: 1, leaves: 2, minExamplesPerLeaf: 5));
        var result = await ChampionChallenger.CompareAsync(server.Client, worse.Model, "models:/cars/Production", golden, ByRmse);

        Assert.That(result.Passed, Is.False);
        Assert.That(result.Message, Does.Contain("vs champion 'models:/cars/Production'").And.EndWith("worse."));
        Assert.That(result.ChampionMetrics.Rmse, Is.EqualTo(result.ChampionValue));
    }

    [Test]
    public async Task Golden_data_without_the_label_is_refused_with_what_to_do()
    {
        await using var store = TemporaryTrackingStore.Create();
        var ml = new MLContext(3);
        using var candidate = await TrainAsync(store, ml, Trainers.Regression.FastTree(trees: 1, leaves: 2, minExamplesPerLeaf: 5));
        var unlabelled = ml.Transforms.DropColumns("hwy").Fit(Cars.Generate(ml)).Transform(Cars.Generate(ml));

        var thrown = await Assert.ThrowsAsync<ArgumentException>(() => ChampionChallenger.CompareAsync(store.Client, candidate.Model, "models:/cars@champion", unlabelled, ByRmse));
        Assert.That(thrown.Message, Does.StartWith("The data has no label column 'hwy' to evaluate the models against: add it to the golden data"));
    }

    private static Task<WorkflowResult> TrainAsync(TemporaryTrackingStore store, MLContext ml, TrainerSpec trainer) => TrainAsync(store.Client, ml, trainer);

    private static Task<WorkflowResult> TrainAsync(MlflowClient client, MLContext ml, TrainerSpec trainer) =>
        MlWorkflow.Workflow.Create(3)
            .Load(Cars.Generate(ml))
            .Features(f => f.OneHot("drv"))
            .Label("hwy")
            .Split(0.2)
            .Train(trainer)
            .Track(client, "cars")
            .RunAsync();
}
