using System.Diagnostics;
using System.Globalization;
using MlWorkflow.Tracking;

// QuickStart: a real run logged to MLflow's file store (./mlruns unless MLFLOW_TRACKING_URI says otherwise).
// It fits log1p(sales) ~ log1p(listings) on the Texas housing data by gradient descent, logging the loss per epoch.
var dataFile = Path.Combine(AppContext.BaseDirectory, "data", "txhousing.csv");
var rows = File.ReadLines(dataFile).Skip(1)
    .Select(line => line.Split(','))
    .Where(f => f[3].Length > 0 && f[6].Length > 0)
    .Select(f => (X: Math.Log(1 + double.Parse(f[6], CultureInfo.InvariantCulture)), Y: Math.Log(1 + double.Parse(f[3], CultureInfo.InvariantCulture))))
    .ToArray();

// Standardise the feature so that plain gradient descent converges.
var (meanX, stdX) = (rows.Average(r => r.X), Math.Sqrt(rows.Average(r => r.X * r.X) - Math.Pow(rows.Average(r => r.X), 2)));
rows = rows.Select(r => (X: (r.X - meanX) / stdX, r.Y)).ToArray();
Console.WriteLine($"1. Loaded {rows.Length:N0} rows with sales and listings from {dataFile}");

var mlflow = MlflowClient.Create();
Console.WriteLine($"2. Tracking to {mlflow.TrackingUri}");
var experiment = await mlflow.GetOrCreateExperimentAsync("quickstart-txhousing");
await using var run = await mlflow.StartRunAsync(experiment, runName: "gd-log-sales", tags: new Dictionary<string, string> { ["team"] = "forecasting" });
Console.WriteLine($"3. Started run {run.RunId} in experiment '{experiment.Name}' (id {experiment.ExperimentId})");

const double learningRate = 0.1;
const int epochs = 200;
run.LogParam("model", "linear regression, log1p(sales) ~ standardised log1p(listings)");
run.LogParam("learning_rate", learningRate);
run.LogParam("epochs", epochs);
await run.LogInputAsync(new Dataset("txhousing", "sha-" + new FileInfo(dataFile).Length.ToString("x", CultureInfo.InvariantCulture), "local", $"{{\"uri\": \"{dataFile}\"}}"));

var (slope, intercept) = (0.0, 0.0);
var watch = Stopwatch.StartNew();
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
    run.LogMetric("mse", loss / rows.Length, step: epoch);
}

var rmse = Math.Sqrt(rows.Average(r => Math.Pow(slope * r.X + intercept - r.Y, 2)));
run.LogMetric("rmse", rmse);
Console.WriteLine($"4. Trained {epochs} epochs in {watch.ElapsedMilliseconds} ms: slope {slope:F4}, intercept {intercept:F4}, RMSE {rmse:F4} (log scale); {epochs + 1} metric points queued");

await run.LogJsonAsync("model/coefficients.json", new { slope, intercept });
await run.LogTextAsync("notes/readme.txt", $"Fitted on {rows.Length} rows of txhousing.csv.\n");
await run.EndAsync();
Console.WriteLine($"5. Logged artifacts and ended the run: {run.Info.Status}");

var stored = await mlflow.GetRunAsync(run.RunId);
var history = await mlflow.GetMetricHistoryAsync(run.RunId, "mse");
var artifacts = await mlflow.ListArtifactsAsync(run.RunId);
Console.WriteLine($"6. Read back: {stored.Data.Params.Count} params, {stored.Data.Tags.Count} tags, {history.Count} 'mse' points, artifacts [{string.Join(", ", artifacts.Select(a => a.Path))}]");
Console.WriteLine($"   See it in MLflow's UI: mlflow ui --backend-store-uri {mlflow.TrackingUri}");
