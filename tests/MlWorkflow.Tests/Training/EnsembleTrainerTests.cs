using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.CodeGeneration;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Models;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Training;

/// <summary><see cref="Trainers.Ensemble"/>: a weighted average of its members' predictions, on real data, saved and reloaded as any model.</summary>
public sealed class EnsembleTrainerTests
{
    private TemporaryDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static MlWorkflow.Workflow BreastCancer() => MlWorkflow.Workflow.Create(5)
        .Load(DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv")))
        .Label("target")
        .Split(0.25);

    private static MlWorkflow.Workflow Diamonds() => MlWorkflow.Workflow.Create(5)
        .Load(DataSource.Csv(TestDatasets.PathOf("diamonds.csv")))
        .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity"))
        .Label("price")
        .Split(0.2);

    [Test]
    public async Task A_binary_ensemble_predicts_the_weighted_average_of_its_members_probabilities()
    {
        // One thread each and the same seed: the members fit alike inside the ensemble and alone.
        var linear = Trainers.BinaryClassification.LbfgsLogisticRegression().WithThreads(1);
        var trees = Trainers.BinaryClassification.FastTree(trees: 50).WithThreads(1);
        var ensemble = Trainers.Ensemble([linear, trees], [1, 3]).WithSeed(11);

        using var alone1 = await BreastCancer().Train(linear.WithSeed(11)).RunAsync();
        using var alone2 = await BreastCancer().Train(trees.WithSeed(11)).RunAsync();
        using var both = await BreastCancer().Train(ensemble).RunAsync();

        var p1 = alone1.TestPredictions!.GetColumn<float>("Probability").ToArray();
        var p2 = alone2.TestPredictions!.GetColumn<float>("Probability").ToArray();
        var p = both.TestPredictions!.GetColumn<float>("Probability").ToArray();
        var score = both.TestPredictions!.GetColumn<float>("Score").ToArray();
        var predicted = both.TestPredictions!.GetColumn<bool>("PredictedLabel").ToArray();
        var visible = both.TestPredictions!.Schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(p, Has.Length.EqualTo(143));
            Assert.That(p.Select((v, i) => Math.Abs(v - ((0.25 * p1[i]) + (0.75 * p2[i])))).Max(), Is.LessThan(1e-5));
            Assert.That(predicted, Is.EqualTo(p.Select(v => v > 0.5).ToArray()));
            Assert.That(score.Select((s, i) => Math.Abs(s - Math.Log((p[i] + 1e-7) / (1 - p[i] + 1e-7)))).Max(), Is.LessThan(1e-3));
            Assert.That(score, Is.All.Matches<float>(float.IsFinite));
            Assert.That(both.Metrics.Auc, Is.GreaterThan(0.98));
            Assert.That(both.Metrics[MetricNames.ExampleCount], Is.EqualTo(143));
            // Nothing of the members is left in the output: only the usual columns.
            Assert.That(visible, Has.None.Contains("member").And.None.Contains("ensemble"));
            Assert.That(visible, Does.Contain("Probability").And.Contain("Score").And.Contain("PredictedLabel"));
        });
    }

    [Test]
    public async Task A_regression_ensemble_of_six_members_averages_their_scores_through_several_expression_steps()
    {
        // Six members: more than ML.NET's Expression transform takes at once (five), so the sum is built in two steps. Members
        // that draw from the context as they train (SDCA's shuffles) would draw other numbers after the ones before them.
        TrainerSpec[] members =
        [
            Trainers.Regression.FastTree(trees: 20).WithThreads(1),
            Trainers.Regression.FastTree(trees: 40).WithThreads(1),
            Trainers.Regression.FastForest(trees: 10).WithThreads(1),
            Trainers.Regression.FastTree(trees: 20, leaves: 8).WithThreads(1),
            Trainers.Regression.Poisson().WithThreads(1),
            Trainers.Regression.FastTree(trees: 10).WithThreads(1),
        ];
        double[] weights = [1, 2, 3, 4, 5, 5];
        var alone = new List<float[]>();
        foreach (var member in members)
        {
            using var single = await Diamonds().Train(member.WithSeed(3)).RunAsync();
            alone.Add(single.TestPredictions!.GetColumn<float>("Score").ToArray());
        }

        using var result = await Diamonds().Train(Trainers.Ensemble(members, weights).WithSeed(3)).RunAsync();

        var scores = result.TestPredictions!.GetColumn<float>("Score").ToArray();
        var expected = scores.Select((_, i) => alone.Select((a, m) => a[i] * weights[m] / 20).Sum()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(scores.Select((s, i) => Math.Abs(s - expected[i]) / Math.Max(1, Math.Abs(expected[i]))).Max(), Is.LessThan(1e-4));
            Assert.That(result.Metrics.Rmse, Is.LessThan(1500));
        });
    }

    [Test]
    public async Task A_saved_ensemble_loads_and_scores_new_rows_as_in_training()
    {
        var ensemble = Trainers.Ensemble([Trainers.BinaryClassification.LbfgsLogisticRegression(), Trainers.BinaryClassification.FastTree(trees: 20)]).WithSeed(2);
        using var result = await BreastCancer().Train(ensemble).RunAsync();
        result.SaveModel(_temp.Combine("model"));

        var model = MlnetModel.Load(_temp.Combine("model"));
        var rows = await DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv")).LoadAsync(new MLContext(1));
        var reloaded = model.Predict(rows).GetColumn<float>("Probability").ToArray();
        var trained = result.Model.Transform(rows).GetColumn<float>("Probability").ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(reloaded, Has.Length.EqualTo(569));
            Assert.That(reloaded, Is.EqualTo(trained).Within(1e-6));
            Assert.That(File.ReadAllText(_temp.Combine("model", "MLmodel")), Does.Contain("Probability"));
        });
    }

    [Test]
    public void An_ensemble_logs_each_member_and_its_weight_and_is_written_as_code()
    {
        var ensemble = Trainers.Ensemble([Trainers.Regression.FastTree(trees: 50), Trainers.Regression.Sdca(l2Regularization: 0.5)], [3, 1]);

        var parameters = ensemble.ToParams();
        var (code, packages) = TrainerCode.Write(ensemble.WithSeed(9));

        Assert.Multiple(() =>
        {
            Assert.That(ensemble.Name, Is.EqualTo("Ensemble"));
            Assert.That(ensemble.Members.Select(m => m.Weight), Is.EqualTo(new[] { 0.75, 0.25 }));
            Assert.That(parameters["trainer"], Is.EqualTo("Ensemble"));
            Assert.That(parameters["member_1"], Does.StartWith("FastTree(trees=50"));
            Assert.That(parameters["member_1_weight"], Is.EqualTo("0.75"));
            Assert.That(parameters["member_2"], Does.StartWith("Sdca(").And.Contain("l2_regularization=0.5"));
            Assert.That(parameters["member_2_weight"], Is.EqualTo("0.25"));
            Assert.That(ensemble.ToString(), Does.StartWith("Ensemble(0.75 × FastTree(trees=50"));
            Assert.That(code, Is.EqualTo("Trainers.Ensemble([Trainers.Regression.FastTree(trees: 50), Trainers.Regression.Sdca(l2Regularization: 0.5)], [0.75, 0.25])"));
            Assert.That(packages, Is.Empty);
            // A seed or thread count reaches every member; the ensemble has no hyperparameters of its own.
            Assert.That(ensemble.WithSeed(4).Seed, Is.EqualTo(4));
            Assert.That(ensemble.WithThreads(1).Members.Select(m => m.Trainer.Hyperparameters["threads"]), Is.All.EqualTo(1));
            Assert.That(() => ensemble.With(new Dictionary<string, object?> { ["trees"] = 3 }), Throws.ArgumentException.With.Message.Contains("no hyperparameters of its own"));
        });
    }

    [Test]
    public void Bad_members_or_weights_are_refused_with_what_to_change()
    {
        var tree = Trainers.Regression.FastTree();
        Assert.Multiple(() =>
        {
            Assert.That(() => Trainers.Ensemble([]), Throws.ArgumentException.With.Message.Contains("at least one member"));
            Assert.That(() => Trainers.Ensemble([tree, Trainers.BinaryClassification.FastTree()]), Throws.ArgumentException.With.Message.Contains("must learn one task"));
            Assert.That(() => Trainers.Ensemble([Trainers.MulticlassClassification.SdcaMaximumEntropy()]), Throws.ArgumentException.With.Message.Contains("multiclass ensemble is not supported"));
            Assert.That(() => Trainers.Ensemble([Trainers.BinaryClassification.AveragedPerceptron()]), Throws.ArgumentException.With.Message.Contains("AveragedPerceptron gives none"));
            Assert.That(() => Trainers.Ensemble([Trainers.Ensemble([tree])]), Throws.ArgumentException.With.Message.Contains("cannot be a member of an ensemble"));
            Assert.That(() => Trainers.Ensemble([tree, tree], [1]), Throws.ArgumentException.With.Message.Contains("needs 2 weights, not 1"));
            Assert.That(() => Trainers.Ensemble([tree, tree], [1, 0]), Throws.ArgumentException.With.Message.Contains("finite and positive"));
            Assert.That(() => Trainers.Ensemble([tree, tree], [1, double.NaN]), Throws.ArgumentException.With.Message.Contains("finite and positive"));
        });
    }

    [Test]
    public void Permutation_feature_importance_of_an_ensemble_is_refused_before_training()
    {
        var workflow = BreastCancer()
            .Train(Trainers.Ensemble([Trainers.BinaryClassification.LbfgsLogisticRegression(), Trainers.BinaryClassification.FastTree()]))
            .Evaluate(featureImportance: true);

        Assert.That(async () => await workflow.RunAsync(), Throws.TypeOf<WorkflowValidationException>().With.Message.Contains("turn featureImportance off"));
    }
}
