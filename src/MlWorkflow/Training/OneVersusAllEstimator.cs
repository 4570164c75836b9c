using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MlWorkflow.Training;

/// <summary>
/// Wraps any ML.NET binary trainer estimator in ML.NET's one-versus-all, whatever its model type, so that
/// built-in and custom binary trainers are wrapped alike.
/// </summary>
internal static class OneVersusAllEstimator
{
    // ML.NET's extension StandardTrainersCatalog.OneVersusAll<TModel>(catalog, binaryEstimator, labelColumnName, ...).
    private static readonly MethodInfo OneVersusAll = typeof(StandardTrainersCatalog)
        .GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Single(m => m.Name == "OneVersusAll" && m.IsGenericMethodDefinition);

    public static IEstimator<ITransformer> Create(TrainerContext context, IEstimator<ITransformer> binary, string binaryName)
    {
        // ML.NET's OneVersusAll<TModel> takes an ITrainerEstimator<BinaryPredictionTransformer<TModel>, TModel>.
        var model = binary.GetType().GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITrainerEstimator<,>))
            .Select(i => i.GenericTypeArguments)
            .Where(a => a[0].IsGenericType && a[0].GetGenericTypeDefinition() == typeof(BinaryPredictionTransformer<>))
            .Select(a => a[1])
            .FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"OneVersusAll needs a binary trainer estimator (an ML.NET ITrainerEstimator of BinaryPredictionTransformer); trainer {binaryName} made {binary.GetType().Name}.");
        var parameters = OneVersusAll.GetParameters();
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            arguments[i] = parameters[i].Name switch
            {
                "binaryEstimator" => binary,
                "labelColumnName" => context.LabelColumn,
                _ when i == 0 => context.MLContext.MulticlassClassification.Trainers,
                _ => parameters[i].DefaultValue,
            };
        }

        return (IEstimator<ITransformer>)OneVersusAll.MakeGenericMethod(model).Invoke(null, arguments)!;
    }
}
