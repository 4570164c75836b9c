using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Tests.Workflow;

/// <summary>
/// Small data sets generated in the test with a fixed seed, shaped like the public ones a new user tried:
/// ggplot2's <c>mpg</c> (cars: displacement, cylinders, transmission, drive, city and highway miles per gallon) and
/// scikit-learn's <c>wine</c> (chemical measurements, three cultivars labelled 0, 1, 2).
/// </summary>
internal static class GeneratedDatasets
{
    private static readonly string[] Transmissions = ["auto(l4)", "auto(l5)", "manual(m5)", "manual(m6)", "auto(s6)"];
    private static readonly string[] Drives = ["f", "r", "4"];

    /// <summary>Cars shaped like mpg: <c>hwy</c> is the label; <c>cty</c> follows it closely (the column a user drops).</summary>
    public static Car[] MpgLike(int rows = 234, int seed = 3)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            var displ = (float)Math.Round(1.6 + random.NextDouble() * 5.0, 1);
            var cyl = displ < 2.6 ? 4 : displ < 4.0 ? 6 : 8;
            var drv = Drives[random.Next(Drives.Length)];
            var trans = Transmissions[random.Next(Transmissions.Length)];
            var hwy = 40 - 3.5 * displ - (drv == "4" ? 3 : 0) + (trans.StartsWith("manual", StringComparison.Ordinal) ? 1 : 0) + random.NextDouble() * 2;
            return new Car
            {
                displ = displ,
                cyl = cyl,
                trans = trans,
                drv = drv,
                hwy = (float)Math.Round(hwy),
                cty = (float)Math.Round(hwy * 0.72 + random.NextDouble()),
            };
        }).ToArray();
    }

    /// <summary>Three cultivars shaped like wine: four measurements and <c>target</c> = 0, 1 or 2 as a number.</summary>
    public static IDataView WineLike(MLContext ml, int rowsPerClass = 60, int seed = 5)
    {
        var random = new Random(seed);
        var rows = new List<Wine>();
        for (var cultivar = 0; cultivar < 3; cultivar++)
        {
            for (var i = 0; i < rowsPerClass; i++)
            {
                rows.Add(new Wine
                {
                    alcohol = (float)(12 + cultivar * 0.8 + random.NextDouble()),
                    malic_acid = (float)(1.5 + cultivar + random.NextDouble()),
                    color_intensity = (float)(3 + cultivar * 2.5 + random.NextDouble() * 1.5),
                    proline = (float)(1100 - cultivar * 300 + random.NextDouble() * 150),
                    target = cultivar,
                });
            }
        }

        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>A regression data set large enough that training with many trees takes minutes.</summary>
    public static IDataView Continuous(MLContext ml, int rows, int features, int seed = 9)
    {
        var random = new Random(seed);
        var data = Enumerable.Range(0, rows).Select(_ =>
        {
            var x = Enumerable.Range(0, features).Select(_ => (float)random.NextDouble()).ToArray();
            return new Measurement { x = x, y = x.Select((v, i) => v * (i + 1)).Sum() + (float)random.NextDouble() };
        }).ToList();
        var definition = SchemaDefinition.Create(typeof(Measurement));
        definition["x"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(data, definition));
    }

#pragma warning disable SA1307, IDE1006 // lower-case names are the data set's column names
    public sealed class Car
    {
        public float displ { get; set; }

        public float cyl { get; set; }

        public string trans { get; set; } = string.Empty;

        public string drv { get; set; } = string.Empty;

        public float cty { get; set; }

        public float hwy { get; set; }
    }

    /// <summary>What a user has when predicting: a car without <c>cty</c> (dropped in training) or <c>hwy</c> (the label).</summary>
    public sealed class CarInput
    {
        public float displ { get; set; }

        public float cyl { get; set; }

        public string trans { get; set; } = string.Empty;

        public string drv { get; set; } = string.Empty;
    }

    public sealed class Wine
    {
        public float alcohol { get; set; }

        public float malic_acid { get; set; }

        public float color_intensity { get; set; }

        public float proline { get; set; }

        public float target { get; set; }
    }

    public sealed class Measurement
    {
        public float[] x { get; set; } = [];

        public float y { get; set; }
    }
#pragma warning restore SA1307, IDE1006
}
