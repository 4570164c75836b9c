using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Training;

namespace MlWorkflow.Planning;

/// <summary>
/// Checks the label's values against the trainer's task before training: a binary trainer needs both classes of a
/// Boolean or 0/1 label, a multiclass trainer a label of classes (text, key, or whole numbers with at most
/// <see cref="MaximumClasses"/> values), not a continuous one.
/// </summary>
internal static class LabelCheck
{
    /// <summary>More distinct whole-number values than this is taken for a continuous label under a multiclass trainer.</summary>
    public const int MaximumClasses = 1000;

    public static void Check(IDataView labelled, string label, TrainerSpec trainer)
    {
        var type = labelled.Schema[label].Type;
        var boolean = type is BooleanDataViewType;
        var numeric = type == NumberDataViewType.Single || type == NumberDataViewType.Double
            || type == NumberDataViewType.Int32 || type == NumberDataViewType.Int64;
        if (trainer.Task == LearningTask.Regression || !(boolean || numeric))
        {
            return;
        }

        var distinct = new SortedSet<double>();
        var integral = true;
        foreach (var value in DataViewColumns.ReadDoubles(labelled, label))
        {
            if (double.IsNaN(value))
            {
                continue;
            }

            integral &= Math.Floor(value) == value;
            if (distinct.Count <= MaximumClasses)
            {
                distinct.Add(value);
            }
        }

        var seen = Describe(distinct, integral);
        if (trainer.Task == LearningTask.BinaryClassification)
        {
            if (!boolean && distinct.Any(v => v is not (0 or 1)))
            {
                var advice = integral && distinct.Count <= MaximumClasses
                    ? $"for {distinct.Count} classes use a multiclass trainer (Trainers.MulticlassClassification)"
                    : "for a continuous label use a regression trainer (Trainers.Regression)";
                throw new WorkflowValidationException(
                    "Train", label, $"binary trainer {trainer.Name} needs a Boolean or 0/1 label, but column '{label}' holds {seen}; {advice}, or map the label to 0/1 first");
            }

            if (distinct.Count < 2)
            {
                throw new WorkflowValidationException(
                    "Train", label, $"binary trainer {trainer.Name} needs both classes in the data, but column '{label}' holds only {seen}");
            }
        }
        else if (numeric && (!integral || distinct.Count > MaximumClasses))
        {
            throw new WorkflowValidationException(
                "Train", label, $"multiclass trainer {trainer.Name} needs classes, but column '{label}' holds {seen}, a continuous value; use a regression trainer (Trainers.Regression), or bin the label into classes first");
        }
    }

    private static string Describe(SortedSet<double> distinct, bool integral)
    {
        var shown = string.Join(", ", distinct.Take(5).Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));
        var count = distinct.Count > MaximumClasses ? $"more than {MaximumClasses}" : distinct.Count.ToString(CultureInfo.InvariantCulture);
        var kind = integral ? "whole-number" : "non-whole";
        return distinct.Count == 0 ? "no values" : $"{count} distinct {kind} values ({shown}{(distinct.Count > 5 ? ", …" : string.Empty)})";
    }
}
