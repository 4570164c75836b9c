using Microsoft.ML;
using MlWorkflow.Data;

namespace MlWorkflow.Splitting;

/// <summary>Makes an explicit test set (<c>TestOn</c>) readable by the training pipeline, or says exactly what it lacks.</summary>
internal static class TestSet
{
    /// <summary>The test data with the training data's column types for every column the model or the label reads.</summary>
    /// <exception cref="WorkflowValidationException">A needed column is missing or of a type that cannot be converted.</exception>
    public static IDataView Prepare(MLContext ml, IDataView test, DataViewSchema training, WorkflowPlan plan, string label)
    {
        var needed = plan.SignatureInputColumns.Concat(plan.LabelInputColumns).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var column in needed)
        {
            if (test.Schema.GetColumnOrNull(column) is null)
            {
                var role = plan.LabelInputColumns.Contains(column) ? $"the label '{label}' is computed from" : "the model reads";
                throw new WorkflowValidationException("TestOn", column, $"the test data has no column '{column}', which {role}; add it to the test data");
            }
        }

        try
        {
            return SchemaAlignment.Align(ml, test, training, needed);
        }
        catch (ColumnTypeMismatchException error)
        {
            throw new WorkflowValidationException("TestOn", error.Column, error.Message, error);
        }
    }
}
