using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Training;

public sealed partial class TrainerCatalogTests
{
    private static IEnumerable<TestCaseData> Catalog() =>
        Trainers.All
            .Append(Trainers.MulticlassClassification.OneVersusAll(Trainers.BinaryClassification.All.Single(d => d.Name == "FastTree")))
            .Select(d => new TestCaseData(d).SetArgDisplayNames($"{d.Task}.{d.Name}"));

    private static IEnumerable<TestCaseData> Shortcuts()
    {
        yield return Shortcut(Trainers.Regression.FastTree(), LearningTask.Regression);
        yield return Shortcut(Trainers.Regression.FastForest(), LearningTask.Regression);
        yield return Shortcut(Trainers.Regression.LightGbm(), LearningTask.Regression);
        yield return Shortcut(Trainers.Regression.Sdca(), LearningTask.Regression);
        yield return Shortcut(Trainers.Regression.OnlineGradientDescent(), LearningTask.Regression);
        yield return Shortcut(Trainers.Regression.Poisson(), LearningTask.Regression);
        yield return Shortcut(Trainers.BinaryClassification.FastTree(), LearningTask.BinaryClassification);
        yield return Shortcut(Trainers.BinaryClassification.FastForest(), LearningTask.BinaryClassification);
        yield return Shortcut(Trainers.BinaryClassification.LightGbm(), LearningTask.BinaryClassification);
        yield return Shortcut(Trainers.BinaryClassification.SdcaLogisticRegression(), LearningTask.BinaryClassification);
        yield return Shortcut(Trainers.BinaryClassification.LbfgsLogisticRegression(), LearningTask.BinaryClassification);
        yield return Shortcut(Trainers.BinaryClassification.AveragedPerceptron(), LearningTask.BinaryClassification);
        yield return Shortcut(Trainers.MulticlassClassification.LightGbm(), LearningTask.MulticlassClassification);
        yield return Shortcut(Trainers.MulticlassClassification.SdcaMaximumEntropy(), LearningTask.MulticlassClassification);
        yield return Shortcut(Trainers.MulticlassClassification.LbfgsMaximumEntropy(), LearningTask.MulticlassClassification);
    }

    private static TestCaseData Shortcut(TrainerSpec spec, LearningTask task) =>
        new TestCaseData(spec, task).SetArgDisplayNames($"{task}.{spec.Name}");

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();

    [Test]
    public void The_catalog_lists_every_trainer_by_task()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Trainers.For(LearningTask.Regression).Select(d => d.Name), Is.EqualTo(new[] { "FastTree", "FastForest", "Sdca", "OnlineGradientDescent", "Poisson", "LightGbm" }));
            Assert.That(Trainers.For(LearningTask.BinaryClassification).Select(d => d.Name), Is.EqualTo(new[] { "FastTree", "FastForest", "SdcaLogisticRegression", "LbfgsLogisticRegression", "AveragedPerceptron", "LightGbm" }));
            Assert.That(Trainers.For(LearningTask.MulticlassClassification).Select(d => d.Name), Is.EqualTo(new[] { "SdcaMaximumEntropy", "LbfgsMaximumEntropy", "LightGbm" }));
            Assert.That(Trainers.All, Has.Count.EqualTo(15));
            Assert.That(
                new[] { LearningTask.Regression, LearningTask.BinaryClassification, LearningTask.MulticlassClassification }.SelectMany(Trainers.For),
                Is.EquivalentTo(Trainers.All));
        });
    }

    [TestCaseSource(nameof(Catalog))]
    public void Every_hyperparameter_is_described_with_a_valid_default_and_search_range(TrainerDescriptor trainer)
    {
        var spec = trainer.Create();
        var parameters = spec.ToParams();
        Assert.Multiple(() =>
        {
            Assert.That(trainer.Hyperparameters, Has.Count.GreaterThanOrEqualTo(4), "the catalog exposes more than the shortcut arguments");
            Assert.That(trainer.Hyperparameters.Count(h => h.IsSearchable), Is.GreaterThanOrEqualTo(3), "a tuner has a space to search");
            Assert.That(spec.Hyperparameters.Keys, Is.EqualTo(trainer.Hyperparameters.Select(h => h.Name)));
            Assert.That(parameters.Keys, Is.EquivalentTo(trainer.Hyperparameters.Select(h => h.Name).Append("trainer").Append("task")));
            foreach (var h in trainer.Hyperparameters)
            {
                Assert.That(h.Name, Does.Match(SnakeCase()), h.Name);
                Assert.That(h.Description, Is.Not.Empty, h.Name);
                Assert.That(h.Default is null ? h.AllowsAuto : h.Validate(h.Default)!.Equals(h.Default), Is.True, $"{h.Name}: default {h.Default}");
                Assert.That(h.Default?.GetType() ?? h.ValueType, Is.EqualTo(h.ValueType), h.Name);
                if (h.Kind is HyperparameterKind.Integer or HyperparameterKind.Real && h.IsSearchable)
                {
                    Assert.That(h.Validate(h.SearchMinimum), Is.Not.Null, $"{h.Name}: search minimum accepted");
                    Assert.That(h.Validate(h.SearchMaximum), Is.Not.Null, $"{h.Name}: search maximum accepted");
                    Assert.That(!h.IsLogScale || h.SearchMinimum > 0, Is.True, $"{h.Name}: log scale above 0");
                }
            }
        });
    }

    [TestCaseSource(nameof(Catalog))]
    public async Task Every_trainer_trains_at_the_middle_of_its_search_space_and_logs_that_point(TrainerDescriptor trainer)
    {
        var point = trainer.Hyperparameters.Where(h => h.IsSearchable).ToDictionary(h => h.Name, Middle);
        var spec = trainer.Create(point);
        var ml = new MLContext(3);
        var result = await MlWorkflow.Workflow.Create(3, ml)
            .Load(GeneratedData.For(ml, trainer.Task))
            .Label("Y")
            .Split(0.25)
            .Train(spec)
            .RunAsync();
        Assert.Multiple(() =>
        {
            foreach (var h in trainer.Hyperparameters)
            {
                Assert.That(result.Params[h.Name], Is.EqualTo(spec.ToParams()[h.Name]), h.Name);
            }

            foreach (var (name, value) in point)
            {
                // Single-precision ML.NET settings keep about 7 digits of the point.
                Assert.That(spec.Hyperparameters[name] is string or bool ? spec.Hyperparameters[name] : Convert.ToDouble(spec.Hyperparameters[name]), value is string or bool ? Is.EqualTo(value) : Is.EqualTo(Convert.ToDouble(value)).Within(1e-4).Percent, name);
            }

            Assert.That(result.Params["trainer"], Is.EqualTo(trainer.Name));

            // A model that learned the signal, not a tuned one: the middle of a search range is no best point.
            switch (trainer.Task)
            {
                case LearningTask.Regression:
                    Assert.That(result.Metrics.R2, Is.GreaterThan(0.2), spec.ToString());
                    break;
                case LearningTask.BinaryClassification:
                    Assert.That(result.Metrics.Accuracy, Is.GreaterThan(0.7), spec.ToString());
                    break;
                default:
                    Assert.That(result.Metrics.AccuracyMicro, Is.GreaterThan(0.6), spec.ToString());
                    break;
            }
        });
    }

    [TestCaseSource(nameof(Shortcuts))]
    public void A_shortcut_with_no_arguments_is_the_catalog_default(TrainerSpec shortcut, LearningTask task)
    {
        var catalogDefault = Trainers.For(task).Single(d => d.Name == shortcut.Name).Create();
        Assert.That(shortcut.ToParams(), Is.EqualTo(catalogDefault.ToParams()));
    }

    [Test]
    public void A_spec_from_an_options_object_reads_its_hyperparameters_and_keeps_its_own_copy()
    {
        var options = new FastForestRegressionTrainer.Options { NumberOfTrees = 7, NumberOfLeaves = 5 };
        var spec = Trainers.Regression.FastForest(options);
        options.NumberOfTrees = 99;
        var ml = new MLContext(1);
        var data = Featurized(ml, GeneratedData.For(ml, LearningTask.Regression));
        var model = (RegressionPredictionTransformer<FastForestRegressionModelParameters>)spec.CreateEstimator(ml, "Y").Fit(data);
        var direct = new MLContext(1).Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options { NumberOfTrees = 7, NumberOfLeaves = 5, LabelColumnName = "Y" }).Fit(data);
        Assert.Multiple(() =>
        {
            Assert.That(spec.Hyperparameters["trees"], Is.EqualTo(7));
            Assert.That(spec.Hyperparameters["leaves"], Is.EqualTo(5));
            Assert.That(spec.Hyperparameters["feature_fraction"], Is.EqualTo(0.7), "ML.NET's own default, read from the options");
            Assert.That(model.Model.TrainedTreeEnsemble.Trees, Has.Count.EqualTo(direct.Model.TrainedTreeEnsemble.Trees.Count), "as ML.NET trains with the same options");
            Assert.That(model.Model.TrainedTreeEnsemble.Trees, Has.Count.LessThanOrEqualTo(7));
            Assert.That(options.LabelColumnName, Is.EqualTo("Label"), "the caller's options object is not changed");
        });
    }

    [Test]
    public void Settings_no_hyperparameter_describes_still_reach_MLNET_and_survive_With()
    {
        var spec = Trainers.Regression.FastForest(new FastForestRegressionTrainer.Options { NumberOfTrees = 4, ExampleWeightColumnName = "Weight" });
        var changed = spec.With(new Dictionary<string, object?> { ["trees"] = 3 });
        var ml = new MLContext(1);
        var data = Featurized(ml, GeneratedData.For(ml, LearningTask.Regression));
        Assert.Multiple(() =>
        {
            Assert.That(changed.Hyperparameters["trees"], Is.EqualTo(3));
            Assert.That(spec.Hyperparameters["trees"], Is.EqualTo(4), "With makes a new spec");
            Assert.That(() => spec.CreateEstimator(ml, "Y").Fit(data), Throws.Exception.With.Message.Contains("Weight"));
            Assert.That(() => changed.CreateEstimator(ml, "Y").Fit(data), Throws.Exception.With.Message.Contains("Weight"));
        });
    }

    [Test]
    public void A_booster_hyperparameter_changed_by_With_reaches_LightGBM()
    {
        var ml = new MLContext(1);
        var data = Featurized(ml, GeneratedData.For(ml, LearningTask.Regression));
        var spec = Trainers.Regression.LightGbm(iterations: 20, minExamplesPerLeaf: 5);
        double R2(TrainerSpec trainer) => ml.Regression.Evaluate(trainer.CreateEstimator(ml, "Y").Fit(data).Transform(data), "Y").RSquared;

        // An L1 weight this large zeroes every leaf: the model can only predict the mean.
        var crushed = spec.With(new Dictionary<string, object?> { ["l1_regularization"] = 1e9 });
        Assert.Multiple(() =>
        {
            Assert.That(R2(spec), Is.GreaterThan(0.9));
            Assert.That(R2(crushed), Is.LessThan(0.1));
            Assert.That(R2(spec), Is.GreaterThan(0.9), "the original spec is unchanged");
        });
    }

    [Test]
    public void Values_in_an_options_object_are_checked_as_the_shortcuts_are()
    {
        Assert.Multiple(() =>
        {
            Assert.That(
                () => Trainers.Regression.FastTree(new FastTreeRegressionTrainer.Options { NumberOfLeaves = 1 }),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("'leaves' must be at least 2"));
            Assert.That(
                () => Trainers.BinaryClassification.LightGbm(new LightGbmBinaryTrainer.Options { LearningRate = -0.5 }),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("learning_rate"));
            Assert.That(() => Trainers.Regression.LightGbm(new LightGbmRegressionTrainer.Options()).Hyperparameters["leaves"], Is.EqualTo("auto"));
        });
    }

    [Test]
    public void A_point_is_checked_by_name_type_and_range()
    {
        var fastTree = Trainers.Regression.All.Single(d => d.Name == "FastTree");
        Assert.Multiple(() =>
        {
            Assert.That(
                () => fastTree.Create(new Dictionary<string, object?> { ["tress"] = 5 }),
                Throws.ArgumentException.With.Message.Contains("no hyperparameter 'tress'").And.Message.Contains("trees"));
            Assert.That(() => fastTree.Create(new Dictionary<string, object?> { ["trees"] = 2.5 }), Throws.ArgumentException.With.Message.Contains("whole number"));
            Assert.That(() => fastTree.Create(new Dictionary<string, object?> { ["trees"] = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => fastTree.Create(new Dictionary<string, object?> { ["trees"] = null }), Throws.ArgumentException.With.Message.Contains("needs a value"));
            Assert.That(fastTree.Create(new Dictionary<string, object?> { ["trees"] = "12", ["learning_rate"] = 0.05f }).Hyperparameters["learning_rate"], Is.EqualTo(0.05));
            Assert.That(
                () => Trainers.Regression.Poisson().With(new Dictionary<string, object?> { ["l2_regularization"] = 1e300 }),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("single precision"));
        });
    }

    [TestCaseSource(nameof(Catalog))]
    public void Logged_params_read_back_into_the_same_point(TrainerDescriptor trainer)
    {
        var spec = trainer.Create(trainer.Hyperparameters.Where(h => h.IsSearchable).ToDictionary(h => h.Name, Other));
        var logged = spec.ToParams().Where(p => p.Key is not "trainer" and not "task").ToDictionary(p => p.Key, p => (object?)p.Value);
        Assert.That(trainer.Create(logged).ToParams(), Is.EqualTo(spec.ToParams()));
    }

    [Test]
    public void One_versus_all_over_a_binary_descriptor_is_a_multiclass_descriptor()
    {
        var ova = Trainers.MulticlassClassification.OneVersusAll(Trainers.BinaryClassification.All.Single(d => d.Name == "LightGbm"));
        var spec = ova.Create(new Dictionary<string, object?> { ["iterations"] = 5 });
        Assert.Multiple(() =>
        {
            Assert.That(ova.Task, Is.EqualTo(LearningTask.MulticlassClassification));
            Assert.That(ova.Hyperparameter("binary_trainer").IsSearchable, Is.False);
            Assert.That(spec.ToParams()["binary_trainer"], Is.EqualTo("LightGbm"));
            Assert.That(spec.ToParams()["iterations"], Is.EqualTo("5"));
            Assert.That(spec.With(new Dictionary<string, object?> { ["leaves"] = 8 }).ToParams()["leaves"], Is.EqualTo("8"));
            Assert.That(() => Trainers.MulticlassClassification.OneVersusAll(Trainers.Regression.All[0]), Throws.ArgumentException.With.Message.Contains("binary"));
        });
    }

    // The middle of the search range (geometric on a log scale); the default of a boolean or a choice.
    private static object? Middle(HyperparameterDescriptor h) => h.Kind switch
    {
        HyperparameterKind.Integer => (int)Math.Round(MiddleOf(h)),
        HyperparameterKind.Real => MiddleOf(h),
        _ => h.Default,
    };

    // The middle, with every boolean flipped and the last choice, to exercise every kind of value.
    private static object? Other(HyperparameterDescriptor h) => h.Kind switch
    {
        HyperparameterKind.Boolean => !(bool)(h.Default ?? false),
        HyperparameterKind.Categorical => h.Choices[^1],
        _ => Middle(h),
    };

    private static double MiddleOf(HyperparameterDescriptor h) => h.IsLogScale
        ? Math.Sqrt(h.SearchMinimum!.Value * h.SearchMaximum!.Value)
        : (h.SearchMinimum!.Value + h.SearchMaximum!.Value) / 2;

    private static IDataView Featurized(MLContext ml, IDataView data) =>
        ml.Transforms.Concatenate("Features", "X1", "X2", "X3").Fit(data).Transform(data);
}
