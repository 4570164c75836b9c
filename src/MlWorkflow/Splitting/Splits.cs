using Microsoft.ML;

namespace MlWorkflow.Splitting;

/// <summary>Cuts the prepared data (label converted) into training and test rows, or folds, as the workflow was told.</summary>
internal static class Splits
{
    /// <summary>The training and test rows of a split, or null when the workflow has no split (<c>Split</c> or <c>SplitBy</c>).</summary>
    public static TrainTest? TrainTest(WorkflowDefinition definition, IDataView data)
    {
        if (definition.TestFraction is { } fraction)
        {
            if (definition.GroupColumn is null && !definition.Stratify)
            {
                return Random(data, fraction, definition.Seed, definition.Label!);
            }

            var test = definition.GroupColumn is { } group
                ? Grouped("Split", group, () => SplitAssignment.Grouped(ColumnReader.Keys(data, group), fraction, definition.Seed))
                : SplitAssignment.Stratified(ColumnReader.Keys(data, definition.Label!), fraction, definition.Seed);
            return FromMask("Split", definition.GroupColumn ?? definition.Label!, data, test);
        }

        if (definition.SplitColumn is { } column)
        {
            return FromMask("SplitBy", column.Column, data, TestRows(data, column));
        }

        return null;
    }

    /// <summary>
    /// <c>Split(fraction)</c>'s rows without stratifying or grouping: exactly <paramref name="fraction"/> of them (rounded up)
    /// held out at random for <paramref name="seed"/>. <paramref name="label"/> names the column in an error.
    /// </summary>
    public static TrainTest Random(IDataView data, double fraction, int seed, string label) =>
        FromMask("Split", label, data, SplitAssignment.Random(ColumnReader.Count(data, "Split"), fraction, seed));

    /// <summary>The folds of a cross-validation.</summary>
    public static IReadOnlyList<TrainTest> Folds(WorkflowDefinition definition, IDataView data, int folds)
    {
        var assignment = definition.GroupColumn is { } group
            ? Grouped("CrossValidate", group, () => SplitAssignment.GroupedFolds(ColumnReader.Keys(data, group), folds, definition.Seed))
            : definition.Stratify
                ? SplitAssignment.StratifiedFolds(ColumnReader.Keys(data, definition.Label!), folds, definition.Seed)
                : SplitAssignment.RandomFolds(ColumnReader.Count(data, "CrossValidate"), folds, definition.Seed);
        if (assignment.Length < folds)
        {
            throw new WorkflowValidationException("CrossValidate", string.Empty, $"{folds} folds need at least {folds} rows; the data has {assignment.Length}");
        }

        return Enumerable.Range(0, folds)
            .Select(fold =>
            {
                var testRows = assignment.Count(f => f == fold);
                return new TrainTest(
                    new RowSubsetDataView(data, row => assignment[row] != fold, assignment.Length - testRows),
                    new RowSubsetDataView(data, row => assignment[row] == fold, testRows));
            })
            .ToArray();
    }

    private static T Grouped<T>(string step, string column, Func<T> assign)
    {
        try
        {
            return assign();
        }
        catch (ArgumentException error)
        {
            throw new WorkflowValidationException(step, column, error.Message + "; group by a column with more values, or split at random", error);
        }
    }

    private static bool[] TestRows(IDataView data, ColumnSplit split)
    {
        if (split.IsMarker)
        {
            return ColumnReader.Booleans(data, split.Column);
        }

        if (split.DateFrom is { } from)
        {
            return ColumnReader.Dates(data, split.Column).Select(d => d >= from).ToArray();
        }

        var numbers = ColumnReader.Numbers(data, split.Column);
        var missing = numbers.Count(double.IsNaN);
        if (missing > 0)
        {
            throw new WorkflowValidationException(
                "SplitBy", split.Column, $"{missing} row(s) have no value in '{split.Column}', so they are on neither side; drop them first or split by another column");
        }

        return numbers.Select(v => v >= split.NumberFrom!.Value).ToArray();
    }

    private static TrainTest FromMask(string step, string column, IDataView data, bool[] test)
    {
        var testRows = test.Count(t => t);
        if (testRows == 0 || testRows == test.Length)
        {
            throw new WorkflowValidationException(
                step, column, $"the split puts {(testRows == 0 ? "no row" : "every row")} in the test set ({test.Length} rows); choose a threshold or fraction that leaves rows on both sides");
        }

        return new TrainTest(new RowSubsetDataView(data, row => !test[row], test.Length - testRows), new RowSubsetDataView(data, row => test[row], testRows));
    }
}

/// <summary>The training rows and the test rows of one split or fold.</summary>
internal sealed record TrainTest(IDataView TrainSet, IDataView TestSet);
