using System.Diagnostics;
using Microsoft.ML;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Data;
using MlWorkflow.Training;

namespace MlWorkflow.Benchmarks.Training;

/// <summary>
/// Issue 14 (what the search needs): SDCA on the CSV source against SDCA on a cached copy of it. The workflow caches the
/// featurised rows before a many-pass trainer, so both should take the same time and give the same metrics.
/// </summary>
internal sealed class ManyPassTrainerSuite : IBenchmarkSuite
{
    public string Name => "many-pass";

    public string Description => "SDCA regression on diamonds.csv: from the CSV source vs from a cached copy (medians of 3, about 30 s)";

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "data", "diamonds.csv");
        var times = new Dictionary<string, List<double>> { ["csv"] = [], ["cached"] = [] };
        var rmse = new Dictionary<string, double>();
        for (var round = 0; round < 4; round++)
        {
            foreach (var mode in times.Keys)
            {
                var ml = new MLContext(42);
                var data = await DataSource.Csv(file).LoadAsync(ml, cancellationToken);
                if (mode == "cached")
                {
                    data = ml.Data.Cache(data);
                }

                var workflow = MlWorkflow.Workflow.Create(42, ml).Load(data)
                    .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity")).Label("price").Split(0.2)
                    .Train(Trainers.Regression.Sdca(maxIterations: 20).WithSeed(1).WithThreads(1));
                var watch = Stopwatch.StartNew();
                using var result = await workflow.RunAsync(cancellationToken);
                if (round > 0)
                {
                    times[mode].Add(watch.Elapsed.TotalSeconds);
                }

                rmse[mode] = result.Metrics.Rmse!.Value;
            }
        }

        foreach (var (mode, list) in times)
        {
            list.Sort();
            report.Add($"sdca_{mode}_seconds", list[list.Count / 2]);
            report.Add($"sdca_{mode}_rmse", rmse[mode]);
        }

        report.Add("sdca_csv_over_cached_ratio", times["csv"][1] / times["cached"][1]);
    }
}
