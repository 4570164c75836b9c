namespace ModelTests;

/// <summary>The registered model's contract: it reads the golden data as it comes, its saved input example scores, and one seed trains one model.</summary>
public sealed class ModelContractTests
{
    [Test]
    public void The_production_model_accepts_the_golden_inputs()
    {
        // The golden data carries the label (sales, and log_sales made from it), which the signature does not: they are ignored, any other extra column fails.
        Assert.That($"models:/{QuickStartModel.Name}/Production", Is.ScorableOn(SalesForecastSuite.Golden).Ignoring("sales", "log_sales").Using(SalesForecastSuite.Store.Client));
    }

    [Test]
    public void The_champions_input_example_scores()
    {
        Assert.That(SalesForecastSuite.Champion, Has.ScorableInputExample);
    }

    [Test]
    public void Training_with_one_seed_is_deterministic()
    {
        Func<CancellationToken, Task<MlWorkflow.WorkflowResult>> train = ct => QuickStartModel.TrainAsync(SalesForecastSuite.Store.Client, trees: 5, cancellationToken: ct);

        Assert.That(train, Is.Deterministic);
    }
}
