using Microsoft.ML;

namespace MlWorkflow.Testing.Tests;

/// <summary>Cars shaped like ggplot2's mpg, generated with a fixed seed: <c>hwy</c> (highway miles per gallon) is the label.</summary>
internal static class Cars
{
    private static readonly string[] Drives = ["f", "r", "4"];

    public static IDataView Generate(MLContext ml, int rows = 240, int seed = 3)
    {
        var random = new Random(seed);
        var cars = Enumerable.Range(0, rows).Select(_ =>
        {
            var displ = (float)Math.Round(1.6 + random.NextDouble() * 5.0, 1);
            var drv = Drives[random.Next(Drives.Length)];
            var hwy = 40 - 3.5 * displ - (drv == "4" ? 3 : 0) + random.NextDouble() * 2;
            return new Car { displ = displ, drv = drv, hwy = (float)hwy };
        }).ToArray();
        return ml.Data.LoadFromEnumerable(cars);
    }

    /// <summary>One row; the lower-case names are the data set's own column names.</summary>
    internal sealed class Car
    {
#pragma warning disable IDE1006, SA1300 // Named as the data set's columns.
        public float displ { get; set; }

        public string drv { get; set; } = "";

        public float hwy { get; set; }
#pragma warning restore IDE1006, SA1300
    }
}
