using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Models;
using MlWorkflow.Training;

namespace MlWorkflow.Evaluation;

/// <summary>
/// Evaluates scored data with ML.NET's evaluators and reports the whole metric set of the task under
/// MLflow-style names (<see cref="MetricNames"/>).
/// </summary>
public static class ModelEvaluator
{
    /// <summary>Evaluates predictions.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="predictions">
    /// Scored data: the label and <c>Score</c>; binary adds <c>PredictedLabel</c> (and <c>Probability</c> when calibrated);
    /// multiclass needs a key-typed label and <c>PredictedLabel</c>, as the trainer writes them.
    /// </param>
    /// <param name="task">The task.</param>
    /// <param name="labelColumn">The label column. The default value is <c>Label</c>.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="UnscoredRowsException">A row has a NaN score: metrics over the other rows would overstate the model.</exception>
    public static MetricSet Evaluate(MLContext mlContext, IDataView predictions, LearningTask task, string labelColumn = "Label") =>
        EvaluateWithData(mlContext, predictions, task, labelColumn).Metrics;

    /// <summary>
    /// Evaluates a saved model on new data that has the label: the data is read with the model's input types (whole numbers
    /// and Single widened to Double, as <see cref="MlnetModel.Predict(IDataView)"/> does), scored, and its labels mapped as the
    /// model's were in training (a multiclass label through the model's <see cref="LabelMapping"/>, a 0/1 binary label to
    /// true/false).
    /// </summary>
    /// <param name="model">The loaded model.</param>
    /// <param name="data">New data with the model's input columns and the label.</param>
    /// <param name="labelColumn">The label column in <paramref name="data"/>.</param>
    /// <param name="task">The task. The default is null: read from the model's output (a <c>Score</c> vector is multiclass, a Boolean <c>PredictedLabel</c> binary, else regression).</param>
    /// <returns>The metrics, under the same names as a workflow's test metrics.</returns>
    /// <exception cref="ColumnTypeMismatchException">A column cannot be converted to the model's type for it.</exception>
    /// <exception cref="ModelSchemaException">The data lacks an input column or the label.</exception>
    /// <exception cref="UnscoredRowsException">The model gives a NaN score for a row (a feature it cannot handle is missing there).</exception>
    public static MetricSet Evaluate(MlnetModel model, IDataView data, string labelColumn, LearningTask? task = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);
        return Evaluate(model.MLContext, model.Transformer, model.InputSchema, data, labelColumn, task ?? TaskOf(model.Transformer, model.InputSchema));
    }

    /// <summary>Evaluates a fitted model (such as <c>WorkflowResult.Model</c>) on new data that has the label; see <see cref="Evaluate(MlnetModel, IDataView, string, LearningTask?)"/>.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="model">The fitted scoring model.</param>
    /// <param name="inputSchema">The schema the model takes (<c>WorkflowResult.InputSchema</c>, <c>MlnetModel.InputSchema</c>).</param>
    /// <param name="data">New data with the model's input columns and the label.</param>
    /// <param name="labelColumn">The label column in <paramref name="data"/>.</param>
    /// <param name="task">The model's task.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ColumnTypeMismatchException">A column cannot be converted to the model's type for it.</exception>
    /// <exception cref="ModelSchemaException">The data lacks an input column or the label.</exception>
    /// <exception cref="UnscoredRowsException">The model gives a NaN score for a row (a feature it cannot handle is missing there).</exception>
    public static MetricSet Evaluate(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, IDataView data, string labelColumn, LearningTask task)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);
        var inputs = inputSchema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray();
        var missing = inputs.Append(labelColumn).Where(c => data.Schema.GetColumnOrNull(c) is null).ToArray();
        if (missing.Length > 0)
        {
            throw new ModelSchemaException(
                $"The data lacks column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} needed to evaluate the model (its inputs and the label '{labelColumn}').",
                missing,
                inputs,
                []);
        }

        var scored = model.Transform(SchemaAlignment.Align(mlContext, data, inputSchema, inputs));
        var prepared = PrepareLabel(mlContext, model, inputSchema, scored, labelColumn, task);
        return EvaluateWithData(mlContext, prepared, task, labelColumn).Metrics;
    }

    // The label as the trainer saw it: Single for regression, Boolean for binary, the model's keys for multiclass.
    private static IDataView PrepareLabel(MLContext ml, ITransformer model, DataViewSchema inputSchema, IDataView scored, string label, LearningTask task)
    {
        var type = scored.Schema[label].Type;
        IEstimator<ITransformer>? preparation = task switch
        {
            LearningTask.Regression when type == NumberDataViewType.Single => null,
            LearningTask.Regression => ml.Transforms.Conversion.ConvertType(label, label, DataKind.Single),
            LearningTask.BinaryClassification when type is BooleanDataViewType => null,
            LearningTask.BinaryClassification => ml.Transforms.Expression(label, "x => x != 0", label),
            _ => null,
        };
        if (task == LearningTask.MulticlassClassification && type is not KeyDataViewType)
        {
            var mapping = LabelMapping.FromModel(model, inputSchema)
                ?? throw new InvalidOperationException("The model's output names no classes (no label mapping): is it a multiclass model?");
            var aligned = SchemaAlignment.AlignColumn(ml, scored, label, mapping.ValueType);
            preparation = mapping.ToKey(ml, label);
            if (aligned.Schema["PredictedLabel"].Type is not KeyDataViewType)
            {
                preparation = preparation.Append(mapping.ToKey(ml, "PredictedLabel"));
            }

            return preparation.Fit(aligned).Transform(aligned);
        }

        return preparation is null ? scored : preparation.Fit(scored).Transform(scored);
    }

    private static LearningTask TaskOf(ITransformer model, DataViewSchema inputSchema)
    {
        var output = model.GetOutputSchema(inputSchema);
        return output.GetColumnOrNull("Score")?.Type is VectorDataViewType ? LearningTask.MulticlassClassification
            : output.GetColumnOrNull("PredictedLabel")?.Type is BooleanDataViewType ? LearningTask.BinaryClassification
            : LearningTask.Regression;
    }

    internal static (MetricSet Metrics, EvaluationData Data) EvaluateWithData(
        MLContext mlContext, IDataView predictions, LearningTask task, string labelColumn)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumn);

        // Metrics and plot data read the predictions several times: score the pipeline once, then read from memory.
        predictions = mlContext.Data.Cache(predictions);
        var evaluated = task switch
        {
            LearningTask.Regression => Regression(mlContext, predictions, labelColumn),
            LearningTask.BinaryClassification => Binary(mlContext, predictions, labelColumn),
            _ => Multiclass(mlContext, predictions, labelColumn),
        };

        // After the evaluator's pass, which filled the cache with every column it reads: checking first would cache the
        // score alone and make the evaluator score the model again for the other columns.
        CheckScores(predictions);
        return evaluated;
    }

    // ML.NET's evaluators skip a row whose score is NaN without a word, so a model that cannot score some rows would be
    // measured on the others only: refused instead, naming how many.
    private static void CheckScores(IDataView predictions)
    {
        if (predictions.Schema.GetColumnOrNull("Score") is not { } column)
        {
            return;
        }

        using var cursor = predictions.GetRowCursor([column]);
        Func<bool> isNaN;
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> scores = default;
            isNaN = () =>
            {
                getter(ref scores);
                foreach (var score in scores.GetValues())
                {
                    if (float.IsNaN(score))
                    {
                        return true;
                    }
                }

                return false;
            };
        }
        else if (column.Type == NumberDataViewType.Single)
        {
            var getter = cursor.GetGetter<float>(column);
            var score = 0f;
            isNaN = () =>
            {
                getter(ref score);
                return float.IsNaN(score);
            };
        }
        else
        {
            return;
        }

        long rows = 0, unscored = 0, first = -1;
        while (cursor.MoveNext())
        {
            if (isNaN())
            {
                first = first < 0 ? rows : first;
                unscored++;
            }

            rows++;
        }

        if (unscored > 0)
        {
            throw new UnscoredRowsException(unscored, rows, first);
        }
    }

    private static (MetricSet, EvaluationData) Regression(MLContext mlContext, IDataView predictions, string label)
    {
        var metrics = mlContext.Regression.Evaluate(predictions, labelColumnName: label);
        var data = new EvaluationData(LearningTask.Regression, [], label);
        data.Labels.AddRange(DataViewColumns.ReadDoubles(predictions, label));
        data.Scores.AddRange(DataViewColumns.ReadDoubles(predictions, "Score"));
        return (new MetricSet(new Dictionary<string, double>
        {
            [MetricNames.Mae] = metrics.MeanAbsoluteError,
            [MetricNames.Mse] = metrics.MeanSquaredError,
            [MetricNames.Rmse] = metrics.RootMeanSquaredError,
            [MetricNames.R2] = metrics.RSquared,
            // ML.NET's LossFunction is the squared loss again (mse, summed apart): one name per quantity.
            [MetricNames.ExampleCount] = data.Labels.Count,
        }), data);
    }

    private static (MetricSet, EvaluationData) Binary(MLContext mlContext, IDataView predictions, string label)
    {
        var calibrated = predictions.Schema.GetColumnOrNull("Probability") is not null;
        var values = new Dictionary<string, double>();
        BinaryClassificationMetrics metrics;
        if (calibrated)
        {
            var calibratedMetrics = mlContext.BinaryClassification.Evaluate(predictions, labelColumnName: label);
            // ML.NET's binary evaluator counts in bits (log2); MLflow's log_loss is scikit-learn's, in nats (ln), as ML.NET's multiclass one is.
            values[MetricNames.LogLoss] = calibratedMetrics.LogLoss * Math.Log(2);
            values[MetricNames.LogLossReduction] = calibratedMetrics.LogLossReduction;
            values[MetricNames.Entropy] = calibratedMetrics.Entropy * Math.Log(2);
            metrics = calibratedMetrics;
        }
        else
        {
            metrics = mlContext.BinaryClassification.EvaluateNonCalibrated(predictions, labelColumnName: label);
        }

        values[MetricNames.Accuracy] = metrics.Accuracy;
        values[MetricNames.Auc] = metrics.AreaUnderRocCurve;
        values[MetricNames.Auprc] = metrics.AreaUnderPrecisionRecallCurve;
        values[MetricNames.F1Score] = metrics.F1Score;
        values[MetricNames.Precision] = metrics.PositivePrecision;
        values[MetricNames.Recall] = metrics.PositiveRecall;
        values[MetricNames.NegativePrecision] = metrics.NegativePrecision;
        values[MetricNames.NegativeRecall] = metrics.NegativeRecall;

        var data = new EvaluationData(LearningTask.BinaryClassification, ["true", "false"], label);
        var labels = DataViewColumns.ReadDoubles(predictions, label);
        var predicted = DataViewColumns.ReadDoubles(predictions, "PredictedLabel");
        data.Labels.AddRange(labels);
        data.Scores.AddRange(DataViewColumns.ReadDoubles(predictions, "Score"));
        if (calibrated)
        {
            data.Probabilities.AddRange(DataViewColumns.ReadDoubles(predictions, "Probability"));
        }

        var counts = new double[2, 2];
        for (var i = 0; i < labels.Length; i++)
        {
            counts[labels[i] > 0 ? 0 : 1, predicted[i] > 0 ? 0 : 1]++;
        }

        data.AddConfusion(counts);
        values[MetricNames.TruePositives] = counts[0, 0];
        values[MetricNames.FalseNegatives] = counts[0, 1];
        values[MetricNames.FalsePositives] = counts[1, 0];
        values[MetricNames.TrueNegatives] = counts[1, 1];
        values[MetricNames.ExampleCount] = labels.Length;
        return (new MetricSet(values), data);
    }

    private static (MetricSet, EvaluationData) Multiclass(MLContext mlContext, IDataView predictions, string label)
    {
        var metrics = mlContext.MulticlassClassification.Evaluate(predictions, labelColumnName: label);
        var classCount = metrics.PerClassLogLoss.Count;
        var names = DataViewColumns.ReadAnnotationNames(predictions.Schema[label], "KeyValues");
        if (names.Length != classCount)
        {
            names = Enumerable.Range(0, classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }

        var values = new Dictionary<string, double>
        {
            [MetricNames.AccuracyMicro] = metrics.MicroAccuracy,
            [MetricNames.AccuracyMacro] = metrics.MacroAccuracy,
            [MetricNames.LogLoss] = metrics.LogLoss,
            [MetricNames.LogLossReduction] = metrics.LogLossReduction,
        };
        var confusion = metrics.ConfusionMatrix;
        var counts = new double[classCount, classCount];
        for (var i = 0; i < classCount; i++)
        {
            values[MetricNames.PerClass(MetricNames.LogLoss, names[i])] = metrics.PerClassLogLoss[i];
            values[MetricNames.PerClass(MetricNames.Precision, names[i])] = confusion.PerClassPrecision[i];
            values[MetricNames.PerClass(MetricNames.Recall, names[i])] = confusion.PerClassRecall[i];
            for (var j = 0; j < classCount; j++)
            {
                counts[i, j] = confusion.Counts[i][j];
            }
        }

        var data = new EvaluationData(LearningTask.MulticlassClassification, names, label);
        data.AddConfusion(counts);
        values[MetricNames.ExampleCount] = confusion.Counts.Sum(row => row.Sum());
        return (new MetricSet(values), data);
    }
}
