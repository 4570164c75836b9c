using MlWorkflow.AutoMl;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Tests.Autologging;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Tracking;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.AutoMl;

/// <summary>A search whose final model is an ensemble of its best trials (AutoMlOptions.Ensemble), tracked in a real file store.</summary>
public sealed class AutoMlEnsembleTests : TrackedStoreFixture
{
    // Bounded by trials only, so every run of it gives the same trials, predictions and ensemble.
    private static MlWorkflow.Workflow Diamonds() => MlWorkflow.Workflow.Create(seed: SearchSeed)
        .Load(DataSource.Csv(TestDatasets.PathOf("diamonds.csv")))
        .Label("price");

    private const int SearchSeed = 3;
    private const int SearchTrials = 14;

    [Test]
    public async Task The_final_model_averages_the_best_trials_of_different_trainers_and_reruns_to_the_same_metrics()
    {
        using var result = await Diamonds().AutoMl(o => o.Trials(SearchTrials).Test(0.1)).RunAsync();
        using var single = await Diamonds().AutoMl(o => o.Trials(SearchTrials).Test(0.1).Ensemble(false)).RunAsync();

        var ensemble = result.Ensemble;
        Assert.That(ensemble, Is.Not.Null, "this search's best trials average to a better validation score than the best alone");
        using var rerun = await result.BestWorkflow.RunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(ensemble!.Trials, Has.Count.GreaterThanOrEqualTo(2));
            Assert.That(ensemble.Trials.Select(t => t.Trainer.Name).Distinct().Count(), Is.EqualTo(ensemble.Trials.Count), "one trial per trainer");
            Assert.That(ensemble.Trials, Is.SubsetOf(result.Trials));
            Assert.That(ensemble.Trials.Select(t => t.Status), Is.All.EqualTo(AutoMlTrialStatus.Succeeded));
            Assert.That(ensemble.Weights.Sum(), Is.EqualTo(1).Within(1e-12));
            Assert.That(ensemble.Weights, Is.Ordered.Descending);
            Assert.That(ensemble.ValidationScore, Is.LessThan(result.TopTrial!.ValidationScore!.Value), "a lower validation RMSE than the best trial");

            // The final model is that ensemble, seeded, and BestTrial its best-scoring member.
            Assert.That(result.BestTrainer.Name, Is.EqualTo("Ensemble"));
            Assert.That(result.BestTrainer.Seed, Is.EqualTo(SearchSeed));
            Assert.That(result.BestTrainer.Members.Select(m => m.Trainer.ToString()), Is.EqualTo(ensemble.Trials.Select(t => t.Trainer.ToString())));
            Assert.That(result.BestTrainer.Members.Select(m => m.Weight), Is.EqualTo(ensemble.Weights).Within(1e-12));
            Assert.That(result.BestTrial, Is.SameAs(result.TopTrial));
            Assert.That(ensemble.Trials, Does.Contain(result.BestTrial));

            // The ensemble leaves the search alone: the same trials as without it.
            Assert.That(result.Trials.Select(t => $"{t.Trainer} {t.ValidationScore:R}"), Is.EqualTo(single.Trials.Select(t => $"{t.Trainer} {t.ValidationScore:R}")));
            Assert.That(single.Ensemble, Is.Null);
            Assert.That(single.BestTrainer.Members, Is.Empty);

            // BestWorkflow retrains the ensemble to the same test metrics.
            Assert.That(rerun.Metrics.Rmse, Is.EqualTo(result.TestMetrics.Rmse).Within(1e-9));
            Assert.That(rerun.Metrics[MetricNames.ExampleCount], Is.EqualTo(result.TestMetrics[MetricNames.ExampleCount]));
        });
    }

    [Test]
    public async Task A_tracked_ensemble_logs_its_members_its_validation_score_and_a_leaderboard_line()
    {
        using var result = await Diamonds().AutoMl(o => o.Trials(SearchTrials).Test(0.1).Track(Client, "automl-ensemble")).RunAsync();

        var parent = await Client.GetRunAsync(result.RunId!);
        var leaderboard = await File.ReadAllTextAsync(Path.Combine(await Client.DownloadArtifactsAsync(result.RunId!, "leaderboard.csv", TempPath)));
        var lines = leaderboard.TrimEnd('\n').Split('\n');
        var ensemble = result.Ensemble!;
        Assert.Multiple(() =>
        {
            Assert.That(parent.Data.GetParam("trainer"), Is.EqualTo("Ensemble"));
            Assert.That(parent.Data.GetParam("member_1"), Is.EqualTo(ensemble.Trials[0].Trainer.ToString()));
            Assert.That(parent.Data.GetParam("member_2_weight"), Is.Not.Null);
            Assert.That(parent.Data.GetParam("automl_selection"), Is.EqualTo($"ensemble: trials {string.Join(", ", ensemble.Trials.Select(t => t.Number))}"));
            Assert.That(parent.Data.GetMetric("val_rmse")!.Value, Is.EqualTo(ensemble.ValidationScore));
            Assert.That(parent.Data.GetMetric("rmse")!.Value, Is.EqualTo(result.TestMetrics.Rmse));
            // The ensemble's line first, unranked, then every trial.
            Assert.That(lines, Has.Length.EqualTo(result.Trials.Count + 2));
            Assert.That(lines[1], Does.StartWith(",ensemble,,Ensemble,succeeded,"));
            Assert.That(lines[1], Does.Contain($"#{ensemble.Trials[0].Number}="));
            Assert.That(lines[2], Does.StartWith($"1,{result.TopTrial!.Number},"));
        });
    }

    [Test]
    public async Task No_ensemble_is_built_for_multiclass_or_when_feature_importance_is_asked_for()
    {
        using var penguins = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(TestDatasets.PathOf("penguins.csv")))
            .Label("species")
            .AutoMl(o => o.Trials(8))
            .RunAsync();
        using var importance = await Diamonds()
            .Evaluate(featureImportance: true)
            .AutoMl(o => o.Trials(SearchTrials).Test(0.1))
            .RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(penguins.Ensemble, Is.Null);
            Assert.That(penguins.BestTrainer.Members, Is.Empty);
            Assert.That(importance.Ensemble, Is.Null);
            Assert.That(importance.FinalModel.FeatureImportance, Is.Not.Empty);
        });
    }
}
