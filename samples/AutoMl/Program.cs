using MlWorkflow;
using MlWorkflow.AutoMl;
using MlWorkflow.Data;
using MlWorkflow.Tracking;

// AutoML on diamonds: predict the price within a time budget (first argument, seconds; 30 by default), every trial a
// nested MLflow run in ./mlruns (see them with `mlw server` or `mlflow ui`), the winner logged and registered, with a
// summary of the data and the winner as a C# project and a notebook you can edit.
var seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 30;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
await using var client = MlflowClient.Create("mlruns");

var progress = new Progress<AutoMlProgress>(p => Console.WriteLine(
    $"trial {p.TrialsCompleted}: {p.LastTrial.Trainer.Name} {p.LastTrial.ValidationScore?.ToString("G5") ?? p.LastTrial.Status.ToString()}; best {p.Metric} {p.BestScore:G5} ({p.BestTrainer}), {p.Remaining?.TotalSeconds:F0} s left"));

var data = Path.Combine(AppContext.BaseDirectory, "data", "diamonds.csv");
using var result = await Workflow.Create(seed: 42)
    .Load(DataSource.Csv(data))
    .Label("price")
    .AutoMl(o => o
        .Budget(TimeSpan.FromSeconds(seconds))
        .Metric("rmse")
        .ReportTo(progress)
        .Track(client, "diamonds-automl", registerAs: "diamonds-price")
        .GenerateCode(data, MlWorkflow.CodeGeneration.DataFileFormat.Csv))
    .RunAsync(cancel.Token);

Console.WriteLine();
Console.WriteLine($"Best: {result.BestTrainer}");
Console.WriteLine($"Validation RMSE {result.ValidationScore:G5}; test RMSE {result.TestMetrics.Rmse:G5} on rows the search never saw");
foreach (var note in result.FeatureNotes)
{
    Console.WriteLine($"  {note.Column}: {note.Action} ({note.Reason})");
}

Console.WriteLine($"Artifacts of run {result.RunId}: leaderboard.csv, data_profile/ (a summary of the data), code/ (a C# project and a notebook that retrain the winner)");
Console.WriteLine($"{result.Trials.Count} trials in {result.Elapsed.TotalSeconds:F1} s; model {result.ModelUri}, registered as version {result.RegisteredVersion?.Version}");

// The winner is a plain workflow: rerun it, change a step, or add a trainer of your own.
using var again = await result.BestWorkflow.RunAsync(cancel.Token);
Console.WriteLine($"Rerun of the best workflow: test RMSE {again.Metrics.Rmse:G5}");
