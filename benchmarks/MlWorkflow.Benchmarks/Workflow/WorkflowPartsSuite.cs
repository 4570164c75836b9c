using System.Diagnostics;
using Microsoft.ML;
using MlWorkflow.Autologging;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Data;
using MlWorkflow.Tracking;
using MlWorkflow.Training;

namespace MlWorkflow.Benchmarks.Workflow;

/// <summary>Where the workflow's time goes beyond training: the same FastForest run bare, tracked without the model, and fully tracked.</summary>
internal sealed class WorkflowPartsSuite : IBenchmarkSuite
{
    public string Name => "workflow-parts";

    public string Description => "the workflow benchmark broken down: untracked, tracked without model, fully tracked (medians of 5)";

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "data", "diamonds.csv");
        var modes = new[] { "untracked", "tracked_no_model", "tracked" };
        var times = modes.ToDictionary(m => m, _ => new List<double>());
        var load = new List<double>();
        for (var round = 0; round < 6; round++)
        {
            foreach (var mode in modes)
            {
                var ml = new MLContext(42);
                var workflow = MlWorkflow.Workflow.Create(42, ml).Load(DataSource.Csv(file))
                    .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity")).Label("price").Split(0.2)
                    .Train(Trainers.Regression.FastForest(trees: 100, leaves: 20, minExamplesPerLeaf: 10, featureFraction: 0.7)).Evaluate(plots: false); // ML.NET's shallow forest, as measured before issue 14
                if (mode != "untracked")
                {
                    workflow = workflow.Track(MlflowClient.Create(Path.Combine(report.WorkDirectory, "mlruns")), "parts", options: new WorkflowTrackingOptions { LogPlots = false, LogModel = mode == "tracked" });
                }

                var watch = Stopwatch.StartNew();
                var result = await workflow.RunAsync(cancellationToken);
                if (round > 0)
                {
                    times[mode].Add(watch.Elapsed.TotalSeconds);
                    if (mode == "untracked")
                    {
                        load.Add(result.Timings.Load.TotalSeconds);
                    }
                }
            }
        }

        foreach (var mode in modes)
        {
            times[mode].Sort();
            report.Add($"{mode}_seconds", times[mode][times[mode].Count / 2]);
        }

        load.Sort();
        report.Add("load_seconds", load[load.Count / 2]);
    }
}
