using Microsoft.ML;
using MlWorkflow.AutoMl;
using MlWorkflow.Evaluation;
using MlWorkflow.Training;
using MlWorkflow.Tests.Workflow;

namespace MlWorkflow.Tests.AutoMl;

/// <summary>
/// Every corner of every catalog trainer's search space trains: a range wider than ML.NET accepts makes the tuner waste
/// trials on certain failures (the averaged perceptron's L2 weight once reached 1, where ML.NET takes [0, 0.5)).
/// </summary>
[TestFixture]
public sealed class SearchSpaceCornerTests
{
    private static IEnumerable<TestCaseData> Corners() =>
        new[] { LearningTask.Regression, LearningTask.BinaryClassification, LearningTask.MulticlassClassification }
            .SelectMany(task => Trainers.For(task).Select(trainer => new TestCaseData(task, trainer.Name).SetName($"{task}.{trainer.Name}")));

    [TestCaseSource(nameof(Corners))]
    public async Task Both_ends_of_every_search_range_train(LearningTask task, string trainerName)
    {
        var ml = new MLContext(1);
        (IDataView Data, string Label) source = task switch
        {
            LearningTask.Regression => (ml.Transforms.DropColumns("cut", "color", "clarity").Fit(TestDatasets.DiamondsSample(ml)).Transform(TestDatasets.DiamondsSample(ml)), "price"),
            LearningTask.BinaryClassification => (TestDatasets.BreastCancer(ml), "target"),
            _ => (TestDatasets.Iris(ml), "Species"),
        };
        var (data, label) = source;
        var rows = ml.Data.Cache(ml.Data.TakeRows(ml.Data.ShuffleRows(data, seed: 3), 150));
        var space = new SearchSpace(Trainers.For(task).Single(t => t.Name == trainerName));
        var failures = new List<string>();
        foreach (var corner in new[] { 0.0, 1.0 })
        {
            var values = space.Values(Enumerable.Repeat(corner, space.Count).ToArray());
            try
            {
                using var result = await MlWorkflow.Workflow.Create(seed: 1).Load(rows).Label(label).Train(space.Trainer.Create(values)).RunAsync();
            }
            catch (UnscoredRowsException)
            {
                // Trained: these values are accepted. The forest cannot split 150 rows into leaves of at least 128 and predicts
                // nothing, which the evaluation refuses (the search records such a trial as failed); on larger data it does.
            }
            catch (Exception error) when (error is ArgumentException or InvalidOperationException or FormatException)
            {
                failures.Add($"corner {corner}: {string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"))}: {error.Message}");
            }
        }

        Assert.That(failures, Is.Empty);
    }
}
