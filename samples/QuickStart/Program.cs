using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow;
using MlWorkflow.Data;
using MlWorkflow.Models;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Training;

// QuickStart: the MLflow lifecycle in C#, on the Texas housing sales data (data/PROVENANCE.md).
// Everything is logged to MLflow's file store: ./mlruns, unless MLFLOW_TRACKING_URI says otherwise; the sample writes
// nothing else outside ./quickstart (the silver table) and cleans its temporary plots when the result is disposed.
var dataFolder = Path.Combine(AppContext.BaseDirectory, "data");
var csvFile = Path.Combine(dataFolder, "txhousing.csv");
var mlflow = MlflowClient.Create();
Console.WriteLine($"Tracking to {mlflow.TrackingUri}");

// ---- Part 1: the tracking API by hand: params, a metric history, tags, artifacts, a dataset input --------------------
Console.WriteLine();
Console.WriteLine("Part 1: a run logged by hand");
var rows = File.ReadLines(csvFile).Skip(1)
    .Select(line => line.Split(','))
    .Where(f => f[3].Length > 0 && f[6].Length > 0)
    .Select(f => (X: Math.Log(1 + double.Parse(f[6], CultureInfo.InvariantCulture)), Y: Math.Log(1 + double.Parse(f[3], CultureInfo.InvariantCulture))))
    .ToArray();
var (meanX, stdX) = (rows.Average(r => r.X), Math.Sqrt(rows.Average(r => r.X * r.X) - Math.Pow(rows.Average(r => r.X), 2)));
rows = rows.Select(r => (X: (r.X - meanX) / stdX, r.Y)).ToArray();
Console.WriteLine($"  1. Loaded {rows.Length:N0} rows with sales and listings from {csvFile}");

var baselineExperiment = await mlflow.GetOrCreateExperimentAsync("sales-forecast");
var watch = Stopwatch.StartNew();
await using (var run = await mlflow.StartRunAsync(baselineExperiment, runName: "baseline-gradient-descent", tags: new Dictionary<string, string> { ["team"] = "forecasting" }))
{
    const double learningRate = 0.1;
    const int epochs = 200;
    run.LogParam("model", "linear regression, log1p(sales) ~ standardised log1p(listings)");
    run.LogParam("learning_rate", learningRate);
    run.LogParam("epochs", epochs);
    var (slope, intercept) = (0.0, 0.0);
    for (var epoch = 0; epoch < epochs; epoch++)
    {
        double gradSlope = 0, gradIntercept = 0, loss = 0;
        foreach (var (x, y) in rows)
        {
            var error = slope * x + intercept - y;
            loss += error * error;
            gradSlope += error * x;
            gradIntercept += error;
        }

        slope -= learningRate * 2 * gradSlope / rows.Length;
        intercept -= learningRate * 2 * gradIntercept / rows.Length;
        run.LogMetric("mse", loss / rows.Length, step: epoch);   // queued; written in batches in the background
    }

    var rmse = Math.Sqrt(rows.Average(r => Math.Pow(slope * r.X + intercept - r.Y, 2)));
    run.LogMetric("rmse", rmse);
    await run.LogJsonAsync("model/coefficients.json", new { slope, intercept, meanX, stdX });
    await run.LogTextAsync("notes/readme.txt", $"Fitted on {rows.Length} rows of txhousing.csv.\n");
    await run.EndAsync();
    var history = await mlflow.GetMetricHistoryAsync(run.RunId, "mse");
    Console.WriteLine($"  2. Run {run.RunId}: {epochs} epochs in {watch.ElapsedMilliseconds} ms, RMSE {rmse:F4} (log scale), {history.Count} 'mse' points, status {run.Info.Status}");
}

// ---- Part 2: the workflow: silver table -> features -> random forest -> evaluation -> tracked model -----------------
Console.WriteLine();
Console.WriteLine("Part 2: the fluent workflow");
var ml = new MLContext(seed: 42);
var silverTable = Path.Combine(Environment.CurrentDirectory, "quickstart", "txhousing_silver.parquet");
Directory.CreateDirectory(Path.GetDirectoryName(silverTable)!);
var raw = await DataSource.Csv(csvFile).LoadAsync(ml);
var labelled = ml.Data.FilterRowsByMissingValues(raw, "sales");   // rows without sales cannot be learned from
await DataSink.WriteParquetAsync(labelled, silverTable);
Console.WriteLine($"  1. Wrote the CSV once as Parquet, the \"silver table\": {silverTable} ({new FileInfo(silverTable).Length / 1024:N0} KiB)");

using var result = await Workflow.Create(seed: 42, mlContext: ml)
    .Load(DataSource.Parquet(silverTable))
    .Features(f => f
        .Log1p("sales", "log_sales")
        .OneHot("city")
        .ReplaceMissing("listings")
        .ReplaceMissing("inventory")
        .ReplaceMissing("volume")
        .ReplaceMissing("median"))
    .Label("log_sales")
    .Split(testFraction: 0.2)
    .Train(Trainers.Regression.RandomForest(trees: 100))
    .Evaluate(plots: true)
    .Track(mlflow, experiment: "sales-forecast", runName: "rf-100-trees")
    .RunAsync();
Console.WriteLine($"  2. Trained {result.Trainer.Name} in {result.Timings.Train.TotalSeconds:F1} s: RMSE {result.Metrics.Rmse:F4}, R2 {result.Metrics.R2:F4} on the test split (log1p of sales)");
var tracked = result.Tracking!;
Console.WriteLine($"  3. Logged run {tracked.RunId}: {result.Params.Count} params, {result.Metrics.Count} metrics, {result.PlotFiles.Count} plots, model at {tracked.ModelUri}");

// ---- Part 3: load the logged model back and predict --------------------------------------------------------------
Console.WriteLine();
Console.WriteLine("Part 3: load the logged model and predict");
var model = await mlflow.LoadMlnetModelAsync(tracked.ModelUri!);
var sample = ml.Data.TakeRows(ml.Data.ShuffleRows(await DataSource.Parquet(silverTable).LoadAsync(ml), seed: 7), 5);
var predictions = model.Predict(sample);
var cities = sample.GetColumn<string>("city").ToArray();
var sales = sample.GetColumn<double>("sales").ToArray();
var scores = predictions.GetColumn<float>("Score").ToArray();
Console.WriteLine($"  1. Loaded {tracked.ModelUri} (ML.NET {model.Metadata.MlnetVersion}); it reads {string.Join(", ", model.RequiredInputColumns)}");
for (var i = 0; i < scores.Length; i++)
{
    Console.WriteLine($"     {cities[i],-16} actual sales {sales[i],7:N0}   predicted {Math.Exp(scores[i]) - 1,9:N0}");
}

// The object form: plain classes for the inputs (no label needed) and for the outputs read back.
var houses = ml.Data.CreateEnumerable<House>(sample, reuseRowObject: false).ToList();
var objectPredictions = model.Predict<House, SalesPrediction>(houses);
Console.WriteLine($"  2. The same with objects: model.Predict<House, SalesPrediction>(houses) -> {Math.Exp(objectPredictions[0].Score) - 1:N0} for {houses[0].city}");

// ---- Part 4: the model registry: register, promote to Production, alias, load by stage --------------------------
Console.WriteLine();
Console.WriteLine("Part 4: the model registry");
var version = await tracked.RegisterAsync("SalesForecastModel");
Console.WriteLine($"  1. Registered {tracked.ModelUri} as SalesForecastModel version {version.Version} (stage {version.CurrentStage})");
var promoted = await mlflow.Registry.TransitionStageAsync("SalesForecastModel", version.Version, ModelVersionStage.Production, archiveExistingVersions: true);
Console.WriteLine($"  2. Promoted version {promoted.Version} to {promoted.CurrentStage} (earlier Production versions archived)");
await mlflow.Registry.SetAliasAsync("SalesForecastModel", "champion", version.Version);
Console.WriteLine($"  3. Set alias 'champion' -> version {version.Version}");
var production = await mlflow.LoadMlnetModelAsync("models:/SalesForecastModel/Production");
var productionScores = production.Predict(sample).GetColumn<float>("Score").ToArray();
Console.WriteLine($"  4. Loaded models:/SalesForecastModel/Production (run {production.Metadata.RunId}) and predicted:");
for (var i = 0; i < productionScores.Length; i++)
{
    Console.WriteLine($"     {cities[i],-16} actual sales {sales[i],7:N0}   predicted {Math.Exp(productionScores[i]) - 1,9:N0}");
}

Console.WriteLine();
Console.WriteLine(TrackingUri.IsRemote(mlflow.TrackingUri!)
    ? $"Everything is on the tracking server at {mlflow.TrackingUri}."
    : $"See it all in the web UI: dotnet run --project src/MlWorkflow.Cli -- server --backend-store-uri {mlflow.TrackingUri}, then open http://127.0.0.1:5000/ (MLflow's own `mlflow ui --backend-store-uri {mlflow.TrackingUri}` reads the same store).");

/// <summary>A house-sales row as the model reads it: the columns of its signature (the label, sales, is not needed).</summary>
internal sealed class House
{
    public string city { get; set; } = string.Empty;

    public int year { get; set; }

    public int month { get; set; }

    public double volume { get; set; }

    public double median { get; set; }

    public double listings { get; set; }

    public double inventory { get; set; }

    public double date { get; set; }
}

/// <summary>What the regression model writes: the predicted log1p(sales).</summary>
internal sealed class SalesPrediction
{
    public float Score { get; set; }
}
