using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Training;

/// <summary>
/// The shortcuts, now over ML.NET's options, train exactly what they trained before the catalog was opened; except the
/// random forest, whose defaults issue 14 changed on purpose to deep trees (1000 leaves, 1 row per leaf, every feature).
/// </summary>
public sealed class ShortcutCompatibilityTests
{
    private static IEnumerable<TestCaseData> Pairs()
    {
        yield return Pair(Trainers.Regression.FastTree(), LearningTask.Regression, ml => ml.Regression.Trainers.FastTree(Columns(new FastTreeRegressionTrainer.Options { NumberOfTrees = 100, NumberOfLeaves = 20, MinimumExampleCountPerLeaf = 10, LearningRate = 0.2 })));
        yield return Pair(Trainers.Regression.FastForest(), LearningTask.Regression, ml => ml.Regression.Trainers.FastForest(Columns(new FastForestRegressionTrainer.Options { NumberOfTrees = 100, NumberOfLeaves = 1000, MinimumExampleCountPerLeaf = 1, FeatureFraction = 1 })));
        yield return Pair(Trainers.Regression.LightGbm(), LearningTask.Regression, ml => ml.Regression.Trainers.LightGbm(Columns(new LightGbmRegressionTrainer.Options { NumberOfIterations = 100, NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1 })));
        yield return Pair(Trainers.Regression.Sdca(), LearningTask.Regression, ml => ml.Regression.Trainers.Sdca(Columns(new SdcaRegressionTrainer.Options { NumberOfThreads = 1 })));
        yield return Pair(Trainers.Regression.OnlineGradientDescent(), LearningTask.Regression, ml => ml.Regression.Trainers.OnlineGradientDescent("Y", "Features", learningRate: 0.1f, numberOfIterations: 10, l2Regularization: 0));
        yield return Pair(Trainers.Regression.Poisson(), LearningTask.Regression, ml => ml.Regression.Trainers.LbfgsPoissonRegression("Y", "Features", l1Regularization: 1, l2Regularization: 1));
        yield return Pair(Trainers.BinaryClassification.FastTree(), LearningTask.BinaryClassification, ml => ml.BinaryClassification.Trainers.FastTree(Columns(new FastTreeBinaryTrainer.Options { NumberOfTrees = 100, NumberOfLeaves = 20, MinimumExampleCountPerLeaf = 10, LearningRate = 0.2 })));
        yield return Pair(Trainers.BinaryClassification.FastForest(), LearningTask.BinaryClassification, ml => ml.BinaryClassification.Trainers.FastForest(Columns(new FastForestBinaryTrainer.Options { NumberOfTrees = 100, NumberOfLeaves = 1000, MinimumExampleCountPerLeaf = 1, FeatureFraction = 1 })));
        yield return Pair(Trainers.BinaryClassification.LightGbm(), LearningTask.BinaryClassification, ml => ml.BinaryClassification.Trainers.LightGbm(Columns(new LightGbmBinaryTrainer.Options { NumberOfIterations = 100, NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1 })));
        yield return Pair(Trainers.BinaryClassification.SdcaLogisticRegression(), LearningTask.BinaryClassification, ml => ml.BinaryClassification.Trainers.SdcaLogisticRegression(Columns(new SdcaLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 1 })));
        yield return Pair(Trainers.BinaryClassification.LbfgsLogisticRegression(), LearningTask.BinaryClassification, ml => ml.BinaryClassification.Trainers.LbfgsLogisticRegression("Y", "Features", l1Regularization: 1, l2Regularization: 1));
        yield return Pair(Trainers.BinaryClassification.AveragedPerceptron(), LearningTask.BinaryClassification, ml => ml.BinaryClassification.Trainers.AveragedPerceptron("Y", "Features", learningRate: 1, numberOfIterations: 10, l2Regularization: 0));
        yield return Pair(Trainers.MulticlassClassification.LightGbm(), LearningTask.MulticlassClassification, ml => ml.MulticlassClassification.Trainers.LightGbm(Columns(new LightGbmMulticlassTrainer.Options { NumberOfIterations = 100, NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1 })));
        yield return Pair(Trainers.MulticlassClassification.SdcaMaximumEntropy(), LearningTask.MulticlassClassification, ml => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(Columns(new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 })));
        yield return Pair(Trainers.MulticlassClassification.LbfgsMaximumEntropy(), LearningTask.MulticlassClassification, ml => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Y", "Features", l1Regularization: 1, l2Regularization: 1));
        yield return Pair(
            Trainers.MulticlassClassification.OneVersusAll(Trainers.BinaryClassification.FastTree(trees: 10)),
            LearningTask.MulticlassClassification,
            ml => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastTree(Columns(new FastTreeBinaryTrainer.Options { NumberOfTrees = 10, NumberOfLeaves = 20, MinimumExampleCountPerLeaf = 10, LearningRate = 0.2 })), labelColumnName: "Y"));
    }

    [TestCaseSource(nameof(Pairs))]
    public void A_shortcut_trains_what_it_trained_before(TrainerSpec spec, LearningTask task, Func<MLContext, IEstimator<ITransformer>> before)
    {
        var now = Scores(task, ml => spec.CreateEstimator(ml, "Y"));
        var then = Scores(task, before);
        Assert.That(now, Is.EqualTo(then).Within(1e-5), spec.ToString());
    }

    private static TestCaseData Pair(TrainerSpec spec, LearningTask task, Func<MLContext, IEstimator<ITransformer>> before) =>
        new TestCaseData(spec, task, before).SetArgDisplayNames($"{task}.{spec.Name}");

    private static T Columns<T>(T options)
        where T : TrainerInputBaseWithLabel
    {
        options.LabelColumnName = "Y";
        options.FeatureColumnName = "Features";
        return options;
    }

    private static float[] Scores(LearningTask task, Func<MLContext, IEstimator<ITransformer>> trainer)
    {
        var ml = new MLContext(11);
        IEstimator<ITransformer> features = ml.Transforms.Concatenate("Features", "X1", "X2", "X3").Append(ml.Transforms.NormalizeMinMax("Features"));
        if (task == LearningTask.MulticlassClassification)
        {
            features = features.Append(ml.Transforms.Conversion.MapValueToKey("Y"));
        }

        var data = GeneratedData.For(ml, task);
        var scored = features.Append(trainer(ml)).Fit(data).Transform(data);
        return task == LearningTask.MulticlassClassification
            ? scored.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray()
            : scored.GetColumn<float>("Score").ToArray();
    }
}
