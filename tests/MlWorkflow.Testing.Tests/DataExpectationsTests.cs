using Microsoft.ML;
using MlWorkflow.Testing.Data;
using MlWorkflow.Testing.Metrics;

namespace MlWorkflow.Testing.Tests;

public sealed class DataExpectationsTests
{
    private static readonly MLContext Ml = new(1);

    [Test]
    public void Data_that_meets_every_expectation_passes()
    {
        var report = DataExpectations.For(Cars.Generate(Ml, rows: 50))
            .HasColumn("displ", typeof(float))
            .HasColumn("drv", typeof(string))
            .RowCount(50, 50)
            .InRange("displ", 1.6, 6.6)
            .AllowedValues("drv", "f", "r", "4")
            .MissingShareAtMost("hwy", 0)
            .Check();

        Assert.That(report.Passed, Is.True, report.Message);
        Assert.That(report.Message, Is.EqualTo("The data meets all 6 expectations."));
        Assert.DoesNotThrow(report.ThrowIfFailed);
    }

    [Test]
    public void Failing_expectations_name_the_failing_rows_count_and_examples()
    {
        var rows = new[]
        {
            new Row { price = 10, cut = "Good" },
            new Row { price = -1, cut = "Good" },
            new Row { price = float.NaN, cut = "Bad" },
            new Row { price = 30000, cut = "" },
        };
        var report = DataExpectations.For(Ml.Data.LoadFromEnumerable(rows))
            .HasColumn("carat")
            .HasColumn("price", typeof(double))
            .RowCount(10)
            .InRange("price", 0, 20000)
            .AllowedValues("cut", "Fair", "Good")
            .MissingShareAtMost("price", 0.1)
            .Check();

        Assert.That(report.Failures.Select(f => f.ToString()), Is.EqualTo(new[]
        {
            "column 'carat': missing; there are: price, cut",
            "column 'price' of type Double: is Single",
            "at least 10 rows: there are 4",
            "column 'price' in [0, 20000]: 2 rows fail, e.g. row 1: -1; row 3: 30000",
            "column 'cut' in {Fair, Good}: 1 row fails, e.g. row 2: 'Bad'",
            "column 'price' missing in at most 10% of rows: 1 row fails, e.g. row 2",
        }));
        var thrown = Assert.Throws<ModelAssertionException>(report.ThrowIfFailed);
        Assert.That(thrown.Message, Does.StartWith("The data fails 6 of 6 expectations:"));
    }

    internal sealed class Row
    {
#pragma warning disable IDE1006 // Named as the data set's columns.
        public float price { get; set; }

        public string cut { get; set; } = "";
#pragma warning restore IDE1006
    }
}
