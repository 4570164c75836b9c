using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.AutoMl;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.AutoMl;

/// <summary>The ensemble selection's own metrics agree with ML.NET's evaluators, and its greedy picks complementary trials.</summary>
public sealed class EnsembleSelectionTests
{
    [Test]
    public async Task Its_auc_log_loss_and_accuracy_agree_with_MLNETs_binary_evaluator_on_a_real_models_predictions()
    {
        using var result = await MlWorkflow.Workflow.Create(3)
            .Load(DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv")))
            .Label("target")
            .Split(0.3)
            .Train(Trainers.BinaryClassification.FastTree(trees: 10))
            .RunAsync();
        var scored = result.TestPredictions!;
        var labels = scored.GetColumn<bool>("target").Select(l => l ? 1.0 : 0.0).ToArray();
        var probabilities = scored.GetColumn<float>("Probability").Select(p => (double)p).ToArray();

        // ML.NET's evaluator on the same numbers, the score as their log-odds (it predicts true where the score is above 0).
        var ml = new MLContext(0);
        var rows = ml.Data.LoadFromEnumerable(labels.Select((l, i) => new BinaryRow
        {
            Label = l > 0,
            Score = (float)Math.Log((probabilities[i] + 1e-7) / (1 - probabilities[i] + 1e-7)),
            Probability = (float)probabilities[i],
            PredictedLabel = probabilities[i] > 0.5,
        }));
        var expected = ml.BinaryClassification.Evaluate(rows);

        Assert.Multiple(() =>
        {
            Assert.That(labels, Has.Length.EqualTo(171));
            Assert.That(1 - EnsembleSelection.FoldLoss(MetricNames.Auc, labels, probabilities), Is.EqualTo(expected.AreaUnderRocCurve).Within(1e-9));
            Assert.That(EnsembleSelection.FoldLoss(MetricNames.LogLoss, labels, probabilities), Is.EqualTo(expected.LogLoss * Math.Log(2)).Within(1e-6));
            Assert.That(1 - EnsembleSelection.FoldLoss(MetricNames.Accuracy, labels, probabilities), Is.EqualTo(expected.Accuracy).Within(1e-9));
        });
    }

    [Test]
    public async Task Its_rmse_mae_and_r2_agree_with_MLNETs_regression_evaluator()
    {
        using var result = await MlWorkflow.Workflow.Create(3)
            .Load(DataSource.Csv(TestDatasets.PathOf("diamonds.csv")))
            .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity"))
            .Label("price")
            .Split(0.1)
            .Train(Trainers.Regression.FastTree(trees: 20))
            .RunAsync();
        var labels = result.TestPredictions!.GetColumn<float>("price").Select(v => (double)v).ToArray();
        var scores = result.TestPredictions!.GetColumn<float>("Score").Select(v => (double)v).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(EnsembleSelection.FoldLoss(MetricNames.Rmse, labels, scores), Is.EqualTo(result.Metrics.Rmse).Within(1e-6 * result.Metrics.Rmse!.Value));
            Assert.That(EnsembleSelection.FoldLoss(MetricNames.Mae, labels, scores), Is.EqualTo(result.Metrics.Mae).Within(1e-6 * result.Metrics.Mae!.Value));
            Assert.That(1 - EnsembleSelection.FoldLoss(MetricNames.R2, labels, scores), Is.EqualTo(result.Metrics.R2).Within(1e-9));
        });
    }

    [Test]
    public void The_greedy_averages_two_trials_that_err_on_different_rows()
    {
        // 100 rows over two folds of 50. Trial 1 is off by 1 on the first half of each fold, trial 2 on the second half:
        // alone each scores an RMSE of 0.707; averaged they are off by 0.5 everywhere.
        var selection = new EnsembleSelection(MetricNames.Rmse, folds: 2);
        Add(selection, Trial(1, "FastTree", Math.Sqrt(0.5)), Labels, Shifted(i => i % 50 < 25 ? 1 : 0));
        Add(selection, Trial(2, "Sdca", Math.Sqrt(0.5)), Labels, Shifted(i => i % 50 < 25 ? 0 : 1));

        var picked = selection.Select(_ => TimeSpan.FromSeconds(1), available: null, seed: 1);
        var limited = selection.Select(t => TimeSpan.FromSeconds(t.Number), available: TimeSpan.FromSeconds(2.5), seed: 1);

        Assert.Multiple(() =>
        {
            Assert.That(picked, Is.Not.Null);
            Assert.That(picked!.Value.Members.Select(m => m.Trial.Number), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(picked.Value.Members.Select(m => m.Weight), Is.EqualTo(new[] { 0.5, 0.5 }));
            Assert.That(picked.Value.Loss, Is.EqualTo(0.5).Within(1e-6));
            // Refits that would not fit: trial 2 (2 s) cannot join trial 1 (1 s) within 2.5 s, and one trial is no ensemble.
            Assert.That(limited, Is.Null);
        });
    }

    [Test]
    public void With_a_third_trial_that_adds_nothing_the_pair_weighs_most_and_the_same_seed_gives_the_same_weights()
    {
        // As above, with a third trial off by 0.75 everywhere (RMSE 0.75, within twice the best): the selection is bagged
        // over random halves of the three, and only the halves that lack one of the pair take it in, so it weighs least.
        var selection = new EnsembleSelection(MetricNames.Rmse, folds: 2);
        Add(selection, Trial(1, "FastTree", Math.Sqrt(0.5)), Labels, Shifted(i => i % 50 < 25 ? 1 : 0));
        Add(selection, Trial(2, "Sdca", Math.Sqrt(0.5)), Labels, Shifted(i => i % 50 < 25 ? 0 : 1));
        Add(selection, Trial(3, "FastForest", 0.75), Labels, Shifted(_ => 0.75));

        var picked = selection.Select(_ => TimeSpan.FromSeconds(1), available: null, seed: 5)!.Value;
        var again = selection.Select(_ => TimeSpan.FromSeconds(1), available: null, seed: 5)!.Value;
        var weights = picked.Members.ToDictionary(m => m.Trial.Number, m => m.Weight);

        Assert.Multiple(() =>
        {
            Assert.That(weights.Values.Sum(), Is.EqualTo(1).Within(1e-12));
            Assert.That(weights[1], Is.GreaterThan(weights.GetValueOrDefault(3)));
            Assert.That(weights[2], Is.GreaterThan(weights.GetValueOrDefault(3)));
            Assert.That(picked.Loss, Is.LessThan(0.6), "well below either trial alone (0.707)");
            Assert.That(again.Members.Select(m => (m.Trial.Number, m.Weight)), Is.EqualTo(picked.Members.Select(m => (m.Trial.Number, m.Weight))));
        });
    }

    private static readonly double[] Labels = [.. Enumerable.Range(0, 100).Select(i => (double)(i % 7))];

    private static float[] Shifted(Func<int, double> error) => [.. Labels.Select((l, i) => (float)(l + error(i)))];

    private static AutoMlTrial Trial(int number, string trainer, double score) =>
        new(number, Trainers.Regression.All.Single(d => d.Name == trainer).Create(), AutoMlTrialStatus.Succeeded, score, null, TimeSpan.FromSeconds(number), null);

    private static void Add(EnsembleSelection selection, AutoMlTrial trial, double[] labels, float[] predictions) =>
        selection.Add(trial, trial.ValidationScore!.Value, [labels[..50], labels[50..]], [predictions[..50], predictions[50..]]);

    private sealed class BinaryRow
    {
        public bool Label { get; set; }

        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }
}
