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

    [Test]
    public void A_unique_column_or_column_set_passes()
    {
        var rows = new[]
        {
            new Row { price = 1, cut = "Good" },
            new Row { price = 2, cut = "Good" },
            new Row { price = 1, cut = "Fair" },
        };
        var report = DataExpectations.For(Ml.Data.LoadFromEnumerable(rows))
            .Unique("cut", "price")
            .Check();

        Assert.That(report.Passed, Is.True, report.Message);
        Assert.That(report.Message, Is.EqualTo("The data meets all 1 expectations."));
    }

    [Test]
    public void Duplicates_are_counted_and_shown_with_the_row_that_held_the_key_first()
    {
        var rows = new[]
        {
            new Row { price = 1, cut = "Good" },
            new Row { price = 2, cut = "Good" },
            new Row { price = 1, cut = "Good" },
            new Row { price = 1, cut = "Fair" },
            new Row { price = 2, cut = "Good" },
            new Row { price = 1, cut = "Good" },
        };
        var report = DataExpectations.For(Ml.Data.LoadFromEnumerable(rows))
            .Unique("cut", "price")
            .Unique("price")
            .Unique("carat")
            .Check();

        Assert.That(report.Failures.Select(f => f.ToString()), Is.EqualTo(new[]
        {
            "columns (cut, price) unique together: 3 rows fail, e.g. row 2: 'Good', 1 (as row 0); row 4: 'Good', 2 (as row 1); row 5: 'Good', 1 (as row 0)",
            "column 'price' unique: 4 rows fail, e.g. row 2: 1 (as row 0); row 3: 1 (as row 0); row 4: 2 (as row 1); row 5: 1 (as row 0)",
            "column 'carat' unique: column 'carat' is missing",
        }));
        Assert.That(report.Failures[1].FailingRows, Is.EqualTo(4));
        var thrown = Assert.Throws<ModelAssertionException>(report.ThrowIfFailed);
        Assert.That(thrown.Message, Does.StartWith("The data fails 3 of 3 expectations:"));
    }

    internal sealed class Row
    {
#pragma warning disable IDE1006 // Named as the data set's columns.
        public float price { get; set; }

        public string cut { get; set; } = "";
#pragma warning restore IDE1006
    }
}
