using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using MlWorkflow.AutoMl;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.AutoMl;

/// <summary>The AutoML search on real data sets, bounded by a few trials so that each test runs in seconds.</summary>
public sealed class AutoMlSearchTests
{
    [Test]
    public async Task Regression_search_on_diamonds_finds_a_model_whose_workflow_reproduces_its_test_metrics()
    {
        var ml = new MLContext(1);
        using var result = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(TestDatasets.DiamondsSample(ml))
            .Label("price")
            .AutoMl(o => o.Trials(8).Metric("rmse"))
            .RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.Trials, Has.Count.EqualTo(8));
            Assert.That(result.Metric, Is.EqualTo("rmse"));
            Assert.That(result.HigherIsBetter, Is.False);
            Assert.That(result.BestTrial.Status, Is.EqualTo(AutoMlTrialStatus.Succeeded));
            Assert.That(result.Leaderboard[0], Is.SameAs(result.BestTrial));
            Assert.That(result.Leaderboard.Select(t => t.ValidationScore), Is.Ordered);
            // Price has a standard deviation near 4,000; a fitted model is far below it.
            Assert.That(result.TestMetrics.Rmse, Is.LessThan(1500));
            Assert.That(result.FeatureNotes.Where(n => n.Action == "one_hot").Select(n => n.Column), Is.EquivalentTo(new[] { "cut", "color", "clarity" }));
            Assert.That(result.BestWorkflow.Trainer, Is.SameAs(result.BestTrainer));
        });

        // The winner is a plain workflow: run again, it trains on the same rows and scores the same test rows.
        using var again = await result.BestWorkflow.RunAsync();
        Assert.That(again.Metrics.Rmse, Is.EqualTo(result.TestMetrics.Rmse).Within(1e-9));
        Assert.That(again.Metrics[MetricNames.ExampleCount], Is.EqualTo(result.TestMetrics[MetricNames.ExampleCount]));
    }

    [Test]
    public async Task Binary_search_on_breast_cancer_infers_the_task_from_a_0_1_label_and_optimises_auc()
    {
        using var result = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv")))
            .Label("target")
            .AutoMl(o => o.Trials(6))
            .RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.Metric, Is.EqualTo("auc"));
            Assert.That(result.HigherIsBetter, Is.True);
            Assert.That(result.BestTrainer.Task, Is.EqualTo(LearningTask.BinaryClassification));
            Assert.That(result.TestMetrics.Auc, Is.GreaterThan(0.95));
            Assert.That(result.TestMetrics[MetricNames.ExampleCount], Is.InRange(0.15 * 569, 0.25 * 569), "about a fifth of the rows are test rows");
        });
    }

    [Test]
    public async Task Multiclass_search_on_penguins_imputes_missing_numbers_and_one_hot_encodes_text()
    {
        using var result = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(TestDatasets.PathOf("penguins.csv")))
            .Label("species")
            .AutoMl(o => o.Trials(6).Metric("accuracy").CrossValidate(3))
            .RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.Metric, Is.EqualTo(MetricNames.AccuracyMicro));
            Assert.That(result.BestTrainer.Task, Is.EqualTo(LearningTask.MulticlassClassification));
            Assert.That(result.TestMetrics.AccuracyMicro, Is.GreaterThan(0.9));
            Assert.That(result.FeatureNotes.Single(n => n.Column == "bill_length_mm").Action, Is.EqualTo("replace_missing"));
            Assert.That(result.FeatureNotes.Single(n => n.Column == "island").Action, Is.EqualTo("one_hot"));
            Assert.That(result.FeatureNotes.Single(n => n.Column == "sex").Action, Is.EqualTo("one_hot"));
            Assert.That(result.BestWorkflow.FeatureSteps.Select(s => s.Name), Does.Contain("replace_missing"));
        });
    }

    [Test]
    public async Task The_same_seed_and_trial_budget_give_the_same_trials()
    {
        static async Task<string[]> RunAsync()
        {
            using var result = await MlWorkflow.Workflow.Create(seed: 7)
                .Load(DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv")))
                .Label("target")
                .AutoMl(o => o.Trials(10))
                .RunAsync();
            return result.Trials.Select(t => $"{t.Trainer} {t.Status} {t.ValidationScore:R}").ToArray();
        }

        var first = await RunAsync();
        var second = await RunAsync();
        Assert.That(second, Is.EqualTo(first));
        Assert.That(first.Distinct().Count(), Is.GreaterThan(5), "the trials explore different points");
    }

    [Test]
    public async Task A_proposal_equal_to_a_trial_already_run_is_not_trained_again()
    {
        // The tuner comes back to points it has tried (a linear trainer's defaults, a small discrete space): each such repeat
        // is answered with the first result instead of a second fit, so the trial budget buys distinct models.
        using var result = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv")))
            .Label("target")
            .AutoMl(o => o.Trials(24).Trainers("SdcaLogisticRegression", "LbfgsLogisticRegression", "FastTree"))
            .RunAsync();

        var points = result.Trials.Select(t => t.Trainer.ToString()).ToArray();
        Assert.That(points, Has.Length.EqualTo(24));
        Assert.That(points, Is.Unique);
    }

    [Test]
    public async Task Test_rows_are_never_seen_by_the_search()
    {
        using var result = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv")))
            .Label("target")
            .AutoMl(o => o.Trials(2).Test(0.25))
            .RunAsync();

        var ml = new MLContext(0);
        var searched = Keys(ml, result.SearchRows!);
        var tested = Keys(ml, result.FinalModel.TestPredictions!);
        Assert.Multiple(() =>
        {
            Assert.That(searched.Intersect(tested), Is.Empty);
            Assert.That(searched.Count + tested.Count, Is.EqualTo(569));
            Assert.That(tested, Has.Count.EqualTo((int)result.TestMetrics[MetricNames.ExampleCount]));
        });
    }

    [Test]
    public async Task A_failing_trial_is_recorded_and_skipped_and_one_that_would_overrun_the_budget_is_stopped()
    {
        var failing = new TrainerDescriptor("Failing", LearningTask.Regression, [], _ => throw new InvalidOperationException("this trainer always fails"));
        var slow = new TrainerDescriptor("SlowForest", LearningTask.Regression, [], c => c.MLContext.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
        {
            LabelColumnName = c.LabelColumn,
            FeatureColumnName = c.FeatureColumn,
            NumberOfTrees = 100_000,
            NumberOfLeaves = 1000,
            MinimumExampleCountPerLeaf = 1,
        }));
        var ml = new MLContext(1);
        var search = MlWorkflow.Workflow.Create(seed: 42)
            .Load(TestDatasets.DiamondsSample(ml))
            .Label("price")
            .AutoMl(o => o.Budget(TimeSpan.FromSeconds(20)).Trials(3).Holdout().Trainers("FastTree"));
        search.Options.AdditionalTrainers.AddRange([failing, slow]);
        using var result = await search.RunAsync();

        var byTrainer = result.Trials.ToDictionary(t => t.Trainer.Name);
        Assert.Multiple(() =>
        {
            Assert.That(byTrainer["FastTree"].Status, Is.EqualTo(AutoMlTrialStatus.Succeeded));
            Assert.That(byTrainer["Failing"].Status, Is.EqualTo(AutoMlTrialStatus.Failed));
            Assert.That(byTrainer["Failing"].Error, Does.Contain("this trainer always fails"));
            Assert.That(byTrainer["SlowForest"].Status, Is.EqualTo(AutoMlTrialStatus.Stopped));
            Assert.That(result.BestTrainer.Name, Is.EqualTo("FastTree"));
        });
    }

    [Test]
    public async Task An_unknown_metric_or_trainer_is_refused_with_the_choices()
    {
        var workflow = MlWorkflow.Workflow.Create().Load(DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv"))).Label("target");
        var metric = await Assert.ThrowsAsync<ArgumentException>(() => workflow.AutoMl(o => o.Trials(1).Metric("rmse")).RunAsync());
        Assert.That(metric.Message, Does.Contain("metric 'rmse'").And.Contain("auc"));
        var trainer = await Assert.ThrowsAsync<ArgumentException>(() => workflow.AutoMl(o => o.Trials(1).Trainers("NoSuchTrainer")).RunAsync());
        Assert.That(trainer.Message, Does.Contain("NoSuchTrainer").And.Contain("FastTree"));
    }

    private static HashSet<string> Keys(MLContext ml, IDataView rows)
    {
        var a = AutoFeaturizerKeys(ml, rows, "mean_radius");
        var b = AutoFeaturizerKeys(ml, rows, "mean_texture");
        var c = AutoFeaturizerKeys(ml, rows, "worst_area");
        return Enumerable.Range(0, a.Length).Select(i => $"{a[i]:R}|{b[i]:R}|{c[i]:R}").ToHashSet();
    }

    private static double[] AutoFeaturizerKeys(MLContext ml, IDataView rows, string column)
    {
        var converted = ml.Transforms.Conversion.ConvertType("k", column, Microsoft.ML.Data.DataKind.Double).Fit(rows).Transform(rows);
        return [.. converted.GetColumn<double>(converted.Schema["k"])];
    }
}
