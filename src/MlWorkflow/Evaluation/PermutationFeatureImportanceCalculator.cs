using System.Collections;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Training;

namespace MlWorkflow.Evaluation;

/// <summary>Permutation feature importance (ML.NET's PFI) of a trained predictor, per feature slot.</summary>
public static class PermutationFeatureImportanceCalculator
{
    /// <summary>What an importance of <paramref name="task"/> measures, as plots name it: <c>RMSE increase</c> (regression),
    /// <c>AUC decrease</c> (binary) or <c>micro-accuracy decrease</c> (multiclass).</summary>
    /// <param name="task">The task.</param>
    /// <returns>The name of the measure.</returns>
    public static string Measure(LearningTask task) => task switch
    {
        LearningTask.Regression => "RMSE increase",
        LearningTask.BinaryClassification => "AUC decrease",
        _ => "micro-accuracy decrease",
    };

    /// <summary>Computes the importance of every slot of the feature vector, most important first.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="task">The task.</param>
    /// <param name="predictor">The trainer's transformer (an ML.NET <c>ISingleFeaturePredictionTransformer</c>).</param>
    /// <param name="featurizedData">Data with the feature vector and the prepared label, as the predictor receives it.</param>
    /// <param name="labelColumn">The label column.</param>
    /// <param name="permutations">Shuffles per feature, more than 0. The default value is 1.</param>
    /// <returns>One entry per feature slot.</returns>
    public static IReadOnlyList<FeatureImportance> Compute(
        MLContext mlContext, LearningTask task, ITransformer predictor, IDataView featurizedData, string labelColumn, int permutations = 1)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(featurizedData);
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        var predictorInterface = predictor.GetType().GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISingleFeaturePredictionTransformer<>))
            ?? throw new ArgumentException($"{predictor.GetType().Name} is not a single-feature prediction transformer.", nameof(predictor));
        var modelType = predictorInterface.GetGenericArguments()[0];
        var featureColumn = (string)predictorInterface.GetProperty("FeatureColumnName")!.GetValue(predictor)!;

        object catalog;
        string metric;
        double sign;
        switch (task)
        {
            case LearningTask.Regression:
                (catalog, metric, sign) = (mlContext.Regression, nameof(RegressionMetricsStatistics.RootMeanSquaredError), 1);
                break;
            case LearningTask.BinaryClassification:
                (catalog, metric, sign) = (mlContext.BinaryClassification, nameof(BinaryClassificationMetricsStatistics.AreaUnderRocCurve), -1);
                break;
            default:
                (catalog, metric, sign) = (mlContext.MulticlassClassification, nameof(MulticlassClassificationMetricsStatistics.MicroAccuracy), -1);
                break;
        }

        // ML.NET's PFI is generic in the model type, which is only known at run time here.
        var method = typeof(PermutationFeatureImportanceExtensions).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == nameof(PermutationFeatureImportanceExtensions.PermutationFeatureImportance)
                && m.IsGenericMethodDefinition
                && m.GetParameters()[0].ParameterType == catalog.GetType())
            .MakeGenericMethod(modelType);
        var statistics = (IEnumerable)method.Invoke(null, [catalog, predictor, featurizedData, labelColumn, false, null, permutations])!;

        var names = DataViewColumns.ReadAnnotationNames(featurizedData.Schema[featureColumn], "SlotNames");
        var result = new List<FeatureImportance>();
        var index = 0;
        foreach (var item in statistics)
        {
            var statistic = (MetricStatistics)item.GetType().GetProperty(metric)!.GetValue(item)!;
            var name = index < names.Length && names[index].Length > 0 ? names[index] : $"{featureColumn}[{index}]";
            result.Add(new FeatureImportance(name, sign * statistic.Mean, statistic.StandardDeviation));
            index++;
        }

        return result.OrderByDescending(f => f.Importance).ToList();
    }
}
