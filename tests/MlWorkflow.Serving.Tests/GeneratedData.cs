namespace MlWorkflow.Serving.Tests;

/// <summary>Small data sets generated with a fixed seed.</summary>
internal static class GeneratedData
{
    private static readonly string[] Transmissions = ["auto", "manual"];
    private static readonly string[] Drives = ["f", "r", "4"];

    public static Car[] Cars(int rows = 200, int seed = 3)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            var displ = (float)Math.Round(1.6 + (random.NextDouble() * 5.0), 1);
            var drv = Drives[random.Next(Drives.Length)];
            var trans = Transmissions[random.Next(Transmissions.Length)];
            var hwy = 40 - (3.5 * displ) - (drv == "4" ? 3 : 0) + (trans == "manual" ? 1 : 0) + (random.NextDouble() * 2);
            return new Car { displ = displ, cyl = displ < 2.6 ? 4 : displ < 4.0 ? 6 : 8, trans = trans, drv = drv, hwy = (float)Math.Round(hwy) };
        }).ToArray();
    }

    public static Loan[] Loans(int rows = 200, int seed = 4)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            var income = (float)(20 + (random.NextDouble() * 100));
            var debt = (float)(random.NextDouble() * 50);
            return new Loan { income = income, debt = debt, approved = income - debt + ((random.NextDouble() - 0.5) * 10) > 40 ? 1 : 0 };
        }).ToArray();
    }

    public static Flower[] Flowers(int rowsPerClass = 40, int seed = 5)
    {
        var random = new Random(seed);
        string[] species = ["setosa", "versicolor", "virginica"];
        return species.SelectMany((name, k) => Enumerable.Range(0, rowsPerClass).Select(_ => new Flower
        {
            petal_length = (float)(1.5 + (k * 2.5) + random.NextDouble()),
            petal_width = (float)(0.2 + (k * 0.9) + (random.NextDouble() * 0.4)),
            species = name,
        })).ToArray();
    }

#pragma warning disable IDE1006, SA1300 // Column names as a data set writes them.
    public sealed class Car
    {
        public float displ { get; set; }

        public float cyl { get; set; }

        public string trans { get; set; } = string.Empty;

        public string drv { get; set; } = string.Empty;

        public float hwy { get; set; }
    }

    public sealed class CarInput
    {
        public float displ { get; set; }

        public float cyl { get; set; }

        public string trans { get; set; } = string.Empty;

        public string drv { get; set; } = string.Empty;
    }

    public sealed class Loan
    {
        public float income { get; set; }

        public float debt { get; set; }

        public float approved { get; set; }
    }

    public sealed class Flower
    {
        public float petal_length { get; set; }

        public float petal_width { get; set; }

        public string species { get; set; } = string.Empty;
    }

    public sealed class ScorePrediction
    {
        public float Score { get; set; }
    }
#pragma warning restore IDE1006, SA1300
}
