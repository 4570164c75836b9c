using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MlWorkflow;
using MlWorkflow.Data;
using MlWorkflow.Serving;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Training;

// Serving: train, register, promote to Production, serve over MLflow's scoring protocol, call the endpoint.
// Logs to MLflow's file store: ./mlruns, unless MLFLOW_TRACKING_URI says otherwise.
var dataFile = Path.Combine(AppContext.BaseDirectory, "data", "diamonds.csv");
using var mlflow = MlflowClient.Create();
Console.WriteLine($"Tracking to {mlflow.TrackingUri}");

// 1. Train a forest on diamonds (price from the other 9 columns) and log it as an MLflow model.
string modelUri;
using (var trained = await Workflow.Create(seed: 42)
    .Load(DataSource.Csv(dataFile))
    .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity"))
    .Label("price")
    .Split(0.2)
    .Train(Trainers.Regression.FastForest(trees: 50))
    .Evaluate(plots: false)
    .Track(mlflow, "diamond-prices")
    .RunAsync())
{
    modelUri = trained.Tracking!.ModelUri!;
    Console.WriteLine($"1. Trained and logged {modelUri}: RMSE {trained.Metrics.Rmse:F0}, R² {trained.Metrics.R2:F3}");
}

// 2. Register it and promote it to Production (the version there before goes to Archived).
var version = await mlflow.Registry.RegisterModelAsync(modelUri, "DiamondPrices");
await mlflow.Registry.TransitionStageAsync("DiamondPrices", version.Version, ModelVersionStage.Production, archiveExistingVersions: true);
Console.WriteLine($"2. Registered DiamondPrices version {version.Version}, now in Production");

// 3. Serve whatever is in Production on 127.0.0.1 (port 0: any free one; mlw models serve uses 5001 by default).
await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = "models:/DiamondPrices/Production", Client = mlflow, Port = 0 });
Console.WriteLine($"3. Serving version {server.ModelVersion} at {server.Uri}invocations");

// 4. Call it as any MLflow scoring client would: POST a dataframe_split, read {"predictions": [...]}.
using var http = new HttpClient { BaseAddress = server.Uri };
const string Request = """
    {"dataframe_split": {
      "columns": ["carat", "cut", "color", "clarity", "depth", "table", "x", "y", "z"],
      "data": [[0.3, "Ideal", "E", "VS1", 61.5, 55, 4.3, 4.31, 2.65],
               [1.5, "Premium", "G", "SI1", 62.0, 58, 7.3, 7.26, 4.51]]}}
    """;
using var response = await http.PostAsync(new Uri("invocations", UriKind.Relative), new StringContent(Request, Encoding.UTF8, "application/json"));
response.EnsureSuccessStatusCode();
var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
var prices = answer.GetProperty("predictions").EnumerateArray().Select(p => p.GetDouble()).ToArray();
Console.WriteLine($"4. Predicted prices: {string.Join(", ", prices.Select(p => p.ToString("C0", System.Globalization.CultureInfo.GetCultureInfo("en-US"))))}");
Console.WriteLine("   The same endpoint from a shell: mlw models serve -m models:/DiamondPrices/Production --port 5001");
