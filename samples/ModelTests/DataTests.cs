using MlWorkflow.Testing.Data;

namespace ModelTests;

/// <summary>The data the model learns from and is judged on meets its expectations, before any model is trusted on it.</summary>
public sealed class DataTests
{
    [Test]
    public async Task The_sales_data_meets_its_expectations()
    {
        var sales = await QuickStartModel.LoadSalesAsync(SalesForecastSuite.Ml);

        var report = DataExpectations.For(sales)
            .HasColumn("city", typeof(string))
            .HasColumn("sales")
            .RowCount(7_000)
            .InRange("month", 1, 12)
            .InRange("year", 2000, 2015)
            .MissingShareAtMost("sales", 0)
            .MissingShareAtMost("listings", 0.2)
            .Unique("city", "year", "month")
            .Check();

        Assert.That(report.Passed, Is.True, report.Message);
    }

    [Test]
    public void The_golden_data_covers_one_year_of_every_month()
    {
        var report = DataExpectations.For(SalesForecastSuite.Golden)
            .RowCount(100)
            .InRange("year", 2015, 2015)
            .AllowedValues("city", "Abilene", "Amarillo", "Arlington", "Austin", "Bay Area", "Beaumont", "Brazoria County", "Brownsville",
                "Bryan-College Station", "Collin County", "Corpus Christi", "Dallas", "Denton County", "El Paso", "Fort Bend", "Fort Worth",
                "Galveston", "Garland", "Harlingen", "Houston", "Irving", "Kerrville", "Killeen-Fort Hood", "Laredo", "Longview-Marshall",
                "Lubbock", "Lufkin", "McAllen", "Midland", "Montgomery County", "Nacogdoches", "NE Tarrant County", "Odessa", "Paris",
                "Port Arthur", "San Angelo", "San Antonio", "San Marcos", "Sherman-Denison", "South Padre Island", "Temple-Belton",
                "Texarkana", "Tyler", "Victoria", "Waco", "Wichita Falls")
            .Check();

        report.ThrowIfFailed();
    }
}
