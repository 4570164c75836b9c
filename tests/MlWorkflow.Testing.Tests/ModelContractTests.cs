using Microsoft.ML;
using MlWorkflow.Models;
using MlWorkflow.Testing.Contracts;
using MlWorkflow.Testing.Fixtures;
using MlWorkflow.Testing.Metrics;
using MlWorkflow.Tracking;
using MlWorkflow.Training;

namespace MlWorkflow.Testing.Tests;

/// <summary>Model contract checks: the signature accepts golden inputs, the input example scores, one seed gives one set of metrics.</summary>
public sealed class ModelContractTests
{
    [Test]
    public async Task Golden_inputs_that_fit_the_signature_are_accepted_and_scored()
    {
        await using var store = TemporaryTrackingStore.Create();
        var ml = new MLContext(3);
        using var result = await TrainAsync(store.Client, seed: 3);
        var golden = Cars.Generate(ml, rows: 30, seed: 11);

        var check = await ModelContract.CheckInputsAsync(store.Client, result.Tracking!.ModelUri!, golden, ["hwy"]);
        Assert.That(check.Message, Is.EqualTo($"Model '{result.Tracking.ModelUri}' on the golden inputs (30 rows scored): passed."));
        Assert.That(result.Tracking.ModelUri, Is.ScorableOn(golden).Ignoring("hwy").Using(store.Client));
        Assert.That(result, Is.ScorableOn(golden).Ignoring("hwy"), "a tracked result stands for its logged model");
    }

    [Test]
    public async Task Missing_extra_and_mistyped_columns_are_each_reported()
    {
        await using var store = TemporaryTrackingStore.Create();
        var ml = new MLContext(3);
        using var result = await TrainAsync(store.Client, seed: 3);
        var wrong = ml.Data.LoadFromEnumerable(new[] { new WrongCar { displ = 2.0, color = "red" } });

        var check = await ModelContract.CheckInputsAsync(store.Client, result.Tracking!.ModelUri!, wrong);
        Assert.That(check.Passed, Is.False);
        Assert.That(check.Problems, Is.EqualTo(new[]
        {
            "column 'displ' is Double but the signature says Single",
            "missing column 'drv' (String)",
            "extra column 'color' (String) that the signature does not have",
        }));
        var thrown = Assert.Throws<AssertionException>(() => Assert.That(result, Is.ScorableOn(wrong)));
        Assert.That(thrown.Message, Does.Contain($"Model '{result.Tracking.ModelUri}' on the golden inputs: 3 problems:").And.Contain("- missing column 'drv' (String)"));
        Assert.Throws<ModelAssertionException>(check.ThrowIfFailed);
    }

    [Test]
    public async Task A_logged_models_input_example_scores_and_a_broken_or_missing_one_fails()
    {
        await using var store = TemporaryTrackingStore.Create();
        using var result = await TrainAsync(store.Client, seed: 3);
        Assert.That(result, Has.ScorableInputExample);
        var check = await ModelContract.CheckInputExampleAsync(store.Client, result.Tracking!.ModelUri!);
        Assert.That(check.Message, Is.EqualTo($"Input example of model '{result.Tracking.ModelUri}' (5 rows scored): passed."));

        using var folders = new TemporaryDirectory();
        var noExample = folders.Combine("no-example");
        MlnetModel.Save(noExample, result.MLContext, result.Model, result.InputSchema, new MlnetModelSaveOptions { InputColumns = result.SignatureInputColumns });
        var thrown = Assert.Throws<AssertionException>(() => Assert.That(noExample, Has.ScorableInputExample.Using(store.Client)));
        Assert.That(thrown.Message, Does.Contain("the model was logged without an input example"));

        var tampered = folders.Combine("tampered");
        result.SaveModel(tampered);
        await File.WriteAllTextAsync(Path.Combine(tampered, MlnetModel.InputExampleFileName), """{"columns": ["displ"], "data": [[2.0], [NaN]]}""");
        var broken = await ModelContract.CheckInputExampleAsync(store.Client, tampered);
        Assert.That(broken.Problems, Is.EqualTo(new[] { "missing column 'drv' (String)" }));
    }

    [Test]
    public async Task Two_trainings_with_one_seed_give_identical_metrics()
    {
        await using var store = TemporaryTrackingStore.Create();
        Func<CancellationToken, Task<WorkflowResult>> train = _ => TrainAsync(store.Client, seed: 5);

        Assert.That(train, Is.Deterministic);
        var check = await ModelContract.CheckDeterminismAsync(train);
        Assert.That(check.Passed, Is.True, check.Message);
        Assert.That(check.Message, Does.Match(@"^Two trainings with one seed \([0-9]+ metrics\): passed\.$"));
    }

    [Test]
    public async Task Trainings_that_differ_name_each_differing_metric_with_both_values()
    {
        await using var store = TemporaryTrackingStore.Create();
        var seed = 5;
        Func<CancellationToken, Task<WorkflowResult>> train = _ => TrainAsync(store.Client, seed: seed++);

        var thrown = Assert.Throws<AssertionException>(() => Assert.That(train, Is.Deterministic));
        Assert.That(thrown.Message, Does.Match(@"- metric 'rmse' differs: [0-9.E-]+ then [0-9.E-]+"));

        var compared = ModelContract.CompareMetrics(
            new Dictionary<string, double> { ["rmse"] = 0.5, ["r2"] = 0.9 },
            new Dictionary<string, double> { ["rmse"] = 0.25, ["mae"] = 0.1 });
        Assert.That(compared.Problems, Is.EqualTo(new[]
        {
            "metric 'mae' is only in the second training",
            "metric 'r2' is only in the first training",
            "metric 'rmse' differs: 0.5 then 0.25",
        }));
    }

    private static Task<WorkflowResult> TrainAsync(MlflowClient client, int seed)
    {
        var ml = new MLContext(seed);
        return MlWorkflow.Workflow.Create(seed)
            .Load(Cars.Generate(ml))
            .Features(f => f.OneHot("drv"))
            .Label("hwy")
            .Split(0.2)
            .Train(Trainers.Regression.FastTree(trees: 10, leaves: 4, minExamplesPerLeaf: 5))
            .Track(client, "cars")
            .RunAsync();
    }

    internal sealed class WrongCar
    {
#pragma warning disable IDE1006, SA1300 // Named as the data set's columns.
        public double displ { get; set; }

        public string color { get; set; } = "";
#pragma warning restore IDE1006, SA1300
    }
}
