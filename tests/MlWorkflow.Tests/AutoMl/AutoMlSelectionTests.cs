using MlWorkflow.AutoMl;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.AutoMl;

/// <summary>How the search validates and picks on small data: repeated k-fold and the one-standard-error rule.</summary>
public sealed class AutoMlSelectionTests
{
    [Test]
    public async Task Small_data_is_cross_validated_on_repeated_folds_unless_the_user_chose_the_validation()
    {
        // Penguins: 344 rows, about 275 search rows: 5 folds, three times with other fold seeds.
        using var automatic = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(TestDatasets.PathOf("penguins.csv")))
            .Label("species")
            .AutoMl(o => o.Trials(2).Trainers("LbfgsMaximumEntropy"))
            .RunAsync();
        using var chosen = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(TestDatasets.PathOf("penguins.csv")))
            .Label("species")
            .AutoMl(o => o.Trials(2).Trainers("LbfgsMaximumEntropy").CrossValidate(5))
            .RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(automatic.ValidationFolds, Is.EqualTo(5));
            Assert.That(automatic.ValidationRepeats, Is.EqualTo(3));
            Assert.That(automatic.BestTrial.FoldLosses, Has.Length.EqualTo(15));
            Assert.That(chosen.ValidationRepeats, Is.EqualTo(1));
            Assert.That(chosen.BestTrial.FoldLosses, Has.Length.EqualTo(5));
        });
    }

    [Test]
    public void Within_one_standard_error_a_linear_model_beats_a_tree_ensemble_and_the_most_regularised_linear_one_wins()
    {
        // The best trial: a tree ensemble, RMSE 1.00 over five folds (standard error 0.035, so the bar is 1.035).
        var tree = Trial(1, Spec("FastTree"), 1.00, [0.9, 1.1, 1.0, 0.95, 1.05]);
        var linear = Trial(2, Spec("Sdca", 1.0), 1.02, [1.02]);
        var moreRegularised = Trial(3, Spec("Sdca", 5.0), 1.034, [1.034]);
        var beyondTheBar = Trial(4, Spec("Sdca", 10.0), 1.04, [1.04]);
        var tooSlowToRefit = Trial(5, Spec("Sdca", 8.0), 1.01, [1.01], seconds: 3);
        AutoMlTrial[] trials = [tree, linear, moreRegularised, beyondTheBar, tooSlowToRefit];

        Assert.Multiple(() =>
        {
            Assert.That(AutoMlEngine.SelectSimplest(trials, tree, "rmse"), Is.SameAs(moreRegularised));
            Assert.That(AutoMlEngine.SelectSimplest([tree, beyondTheBar], tree, "rmse"), Is.SameAs(tree), "nothing simpler within the bar");
            Assert.That(AutoMlEngine.SelectSimplest([tree, linear], tree, "rmse"), Is.SameAs(linear));
        });

        // One fold (a holdout) has no spread: the best score stands.
        var holdout = Trial(6, Spec("FastTree"), 1.00, [1.00]);
        Assert.That(AutoMlEngine.SelectSimplest([holdout, linear], holdout, "rmse"), Is.SameAs(holdout));
    }

    [Test]
    public async Task The_search_refits_the_rule_s_pick_and_reports_the_best_score_apart()
    {
        var path = TestDatasets.PathOf("breast_cancer.csv");
        using var simpler = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(path))
            .Label("target")
            .AutoMl(o => o.Trials(10).Trainers("FastTree", "LbfgsLogisticRegression").Ensemble(false))
            .RunAsync();
        using var best = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(path))
            .Label("target")
            .AutoMl(o => o.Trials(10).Trainers("FastTree", "LbfgsLogisticRegression").PreferSimpler(false).Ensemble(false))
            .RunAsync();

        var top = simpler.TopTrial!;
        Assert.Multiple(() =>
        {
            // The same trials either way (bounded by trials: deterministic); only the pick differs.
            Assert.That(best.Trials.Select(t => t.ValidationScore), Is.EqualTo(simpler.Trials.Select(t => t.ValidationScore)));
            Assert.That(best.BestTrial.Number, Is.EqualTo(top.Number), "without the rule, the best validation score wins");
            Assert.That(top, Is.SameAs(simpler.Leaderboard[0]));
            Assert.That(simpler.BestTrial, Is.SameAs(AutoMlEngine.SelectSimplest(simpler.Trials, top, simpler.Metric)));
            Assert.That(simpler.BestWorkflow.Trainer!.Name, Is.EqualTo(simpler.BestTrial.Trainer.Name), "the rule's pick is what is refitted");
        });
    }

    [Test]
    public void Under_log_loss_the_rule_does_not_take_a_simpler_trial_less_accurate_on_the_validation_folds()
    {
        // The best trial: log loss 0.008 over five folds (standard error 0.0014, so the bar is 0.0094), accuracy 0.9978.
        var best = Classifier(1, 0.0, 0.008, 0.9978, [0.004, 0.012, 0.006, 0.010, 0.008]);
        var lessAccurate = Classifier(2, 1.0, 0.0093, 0.9955, [0.0093]);
        var asAccurate = Classifier(3, 0.5, 0.0092, 0.9978, [0.0092]);

        Assert.Multiple(() =>
        {
            Assert.That(AutoMlEngine.SelectSimplest([best, lessAccurate, asAccurate], best, "log_loss"), Is.SameAs(asAccurate), "the most regularised as accurate as the best");
            Assert.That(AutoMlEngine.SelectSimplest([best, lessAccurate], best, "log_loss"), Is.SameAs(best), "a less accurate one is not taken");
            Assert.That(AutoMlEngine.LosesAccuracy(lessAccurate, best, "log_loss"), Is.True);
            Assert.That(AutoMlEngine.LosesAccuracy(lessAccurate, best, "accuracy_micro"), Is.False, "the guard is for probability metrics only");
        });
    }

    private static AutoMlTrial Classifier(int number, double l2, double logLoss, double accuracy, double[] folds)
    {
        var descriptor = Trainers.MulticlassClassification.All.Single(d => d.Name == "LbfgsMaximumEntropy");
        var spec = descriptor.Create(new Dictionary<string, object?> { ["l2_regularization"] = l2 });
        var metrics = new MetricSet(new Dictionary<string, double> { ["log_loss"] = logLoss, ["accuracy_micro"] = accuracy });
        return new(number, spec, AutoMlTrialStatus.Succeeded, logLoss, metrics, TimeSpan.FromSeconds(1), null) { FoldLosses = folds };
    }

    private static TrainerSpec Spec(string name, double? l2 = null)
    {
        var descriptor = Trainers.Regression.All.Single(d => d.Name == name);
        return l2 is { } weight ? descriptor.Create(new Dictionary<string, object?> { ["l2_regularization"] = weight }) : descriptor.Create();
    }

    private static AutoMlTrial Trial(int number, TrainerSpec spec, double rmse, double[] folds, double seconds = 1) =>
        new(number, spec, AutoMlTrialStatus.Succeeded, rmse, null, TimeSpan.FromSeconds(seconds), null) { FoldLosses = folds };
}
