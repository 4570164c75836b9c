using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Training;
namespace MlWorkflow.Tests.Scratch;
public sealed class ScratchTests
{
    [Test]
    public async Task Explore()
    {
        foreach (var strat in new[] { false, true })
        foreach (var trainer in new[] { Trainers.MulticlassClassification.LbfgsMaximumEntropy(), Trainers.MulticlassClassification.SdcaMaximumEntropy() })
        {
        var ml = new MLContext(5);
        var penguins = await DataSource.Csv(MlWorkflow.Tests.Workflow.TestDatasets.PathOf("penguins.csv")).LoadAsync(ml);
        using var result = await MlWorkflow.Workflow.Create(5, ml)
            .Load(penguins)
            .Features(f => f.Drop("island", "sex").ReplaceMissing("bill_length_mm", indicator: false).ReplaceMissing("bill_depth_mm", indicator: false)
                .ReplaceMissing("flipper_length_mm", indicator: false).ReplaceMissing("body_mass_g", indicator: false))
            .Label("species")
            .Split(0.2, stratify: strat)
            .Train(trainer)
            .RunAsync();
        TestContext.Out.WriteLine($"{strat} {trainer.Name} {result.Metrics.Accuracy} {result.Metrics.LogLoss} {string.Join(",", result.SignatureInputColumns)}");
        }
    }
}
