using System.Globalization;
using MlWorkflow.Features;

namespace MlWorkflow.Planning;

/// <summary>Formats a workflow's settings as the params a tracker logs (see <see cref="Workflow.GetParams"/>).</summary>
internal static class WorkflowParameters
{
    public static IReadOnlyDictionary<string, string> Build(WorkflowDefinition definition, IReadOnlyList<FeatureStep> steps)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["seed"] = definition.Seed.ToString(CultureInfo.InvariantCulture),
        };
        if (definition.Label is not null)
        {
            result["label"] = definition.Label;
        }

        if (definition.Trainer is not null)
        {
            foreach (var (key, value) in definition.Trainer.ToParams())
            {
                result[key] = value;
            }
        }

        if (definition.TestFraction is { } fraction)
        {
            result["split"] = "train_test";
            result["test_fraction"] = fraction.ToString("R", CultureInfo.InvariantCulture);
        }
        else if (definition.Folds is { } folds)
        {
            result["split"] = "cross_validation";
            result["cv_folds"] = folds.ToString(CultureInfo.InvariantCulture);
            if (!definition.Refit)
            {
                result["cv_refit"] = "false";
            }
        }
        else if (definition.SplitColumn is { } column)
        {
            result["split"] = "column";
            result["split_column"] = column.Column;
            if (column.Threshold is { } threshold)
            {
                result["split_test_from"] = threshold;
            }
        }
        else if (definition.TestData is not null || definition.TestSource is not null)
        {
            result["split"] = "test_set";
            result["test_data"] = definition.TestSource?.Name ?? "data view";
        }
        else
        {
            result["split"] = "none";
        }

        if (definition.Stratify)
        {
            result["split_stratify"] = "true";
        }

        if (definition.GroupColumn is { } group)
        {
            result["split_group"] = group;
        }

        if (definition.TimeLimit is { } limit)
        {
            result["time_limit_s"] = limit.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);
        }

        result["feature_steps"] = steps.Count == 0 ? "(none)" : string.Join("; ", steps);
        for (var i = 0; i < steps.Count; i++)
        {
            result[$"feature_step_{i}"] = steps[i].ToString();
        }

        return result;
    }
}
