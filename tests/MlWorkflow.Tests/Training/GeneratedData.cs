using Microsoft.ML;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Training;

/// <summary>Small seeded data sets with a known signal, one per task, so that every trainer trains in well under a second.</summary>
internal static class GeneratedData
{
    public static IDataView For(MLContext ml, LearningTask task, int rows = 240) => task switch
    {
        LearningTask.Regression => ml.Data.LoadFromEnumerable(Rows(rows).Select(r => new RegressionRow { X1 = r.X1, X2 = r.X2, X3 = r.X3, Y = r.Y })),
        LearningTask.BinaryClassification => ml.Data.LoadFromEnumerable(Rows(rows).Select(r => new BinaryRow { X1 = r.X1, X2 = r.X2, X3 = r.X3, Y = r.Y > 172 })),
        _ => ml.Data.LoadFromEnumerable(Rows(rows).Select(r => new MulticlassRow { X1 = r.X1, X2 = r.X2, X3 = r.X3, Y = r.Y < 140 ? "low" : r.Y < 205 ? "mid" : "high" })),
    };

    // y = 3·x1 − 2·x2 + x3/10 + 60 + noise (0 or more, for Poisson); x3 is on a much larger scale so that unscaled linear learners struggle.
    private static IEnumerable<(float X1, float X2, float X3, float Y)> Rows(int rows)
    {
        var random = new Random(17);
        for (var i = 0; i < rows; i++)
        {
            var x1 = (float)(random.NextDouble() * 60);
            var x2 = (float)(random.NextDouble() * 30);
            var x3 = (float)(random.NextDouble() * 1000);
            yield return (x1, x2, x3, (3 * x1) - (2 * x2) + (x3 / 10) + 60 + (float)(random.NextDouble() * 4));
        }
    }

    public sealed class RegressionRow
    {
        public float X1 { get; set; }

        public float X2 { get; set; }

        public float X3 { get; set; }

        public float Y { get; set; }
    }

    public sealed class BinaryRow
    {
        public float X1 { get; set; }

        public float X2 { get; set; }

        public float X3 { get; set; }

        public bool Y { get; set; }
    }

    public sealed class MulticlassRow
    {
        public float X1 { get; set; }

        public float X2 { get; set; }

        public float X3 { get; set; }

        public string Y { get; set; } = string.Empty;
    }
}
