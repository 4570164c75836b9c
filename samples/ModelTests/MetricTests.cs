namespace ModelTests;

/// <summary>The champion's metrics on its test split, from the workflow's result and from the run logged in the store.</summary>
public sealed class MetricTests
{
    [Test]
    public void The_champion_explains_most_of_the_variance()
    {
        Assert.That(SalesForecastSuite.Champion, Has.Metric("r2").AtLeast(0.9));
        Assert.That(SalesForecastSuite.Champion, Has.Metric("rmse").LessThan(0.5));
    }

    [Test]
    public async Task The_logged_run_holds_the_same_metrics()
    {
        var run = await SalesForecastSuite.Store.Client.GetRunAsync(SalesForecastSuite.Champion.Tracking!.RunId);

        Assert.That(run, Has.Metric("rmse").InRange(0, 0.5));
    }
}
