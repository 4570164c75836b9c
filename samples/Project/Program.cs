using System.Globalization;
using System.Text.Json;
using MlWorkflow.Tracking;

// The entry points of samples/Project/MLproject. Started by `mlw run`, MlflowClient.Create() finds MLFLOW_TRACKING_URI and
// StartRunAsync() continues the run `mlw run` made (MLFLOW_RUN_ID), so metrics and artifacts land in that run.
await using var mlflow = MlflowClient.Create();
return args switch
{
    ["train", var alpha, var epochs] => await TrainAsync(mlflow, double.Parse(alpha, CultureInfo.InvariantCulture), int.Parse(epochs, CultureInfo.InvariantCulture)),
    ["evaluate", var modelUri] => await EvaluateAsync(mlflow, modelUri),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Project train <alpha> <epochs> | Project evaluate runs:/<run id>/model");
    return 2;
}

// y = 3x + 2 with a little deterministic noise, x in [0, 1).
static (double X, double Y)[] Data(int seed, int count)
{
    var random = new Random(seed);
    return Enumerable.Range(0, count).Select(_ => random.NextDouble()).Select(x => (x, 3 * x + 2 + (random.NextDouble() - 0.5) * 0.1)).ToArray();
}

static double Mse((double X, double Y)[] data, double a, double b) => data.Average(p => Math.Pow(a * p.X + b - p.Y, 2));

static async Task<int> TrainAsync(MlflowClient mlflow, double alpha, int epochs)
{
    await using var run = await mlflow.StartRunAsync();
    var data = Data(seed: 1, count: 200);
    double a = 0, b = 0;
    for (var epoch = 0; epoch < epochs; epoch++)
    {
        foreach (var (x, y) in data)
        {
            var error = a * x + b - y;
            a -= alpha * error * x;
            b -= alpha * error;
        }

        run.LogMetric("mse", Mse(data, a, b), epoch);
    }

    await run.LogTextAsync("model/weights.json", JsonSerializer.Serialize(new Dictionary<string, double> { ["a"] = a, ["b"] = b }));
    await run.EndAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained a={a:F3} b={b:F3} in run {run.RunId}"));
    return 0;
}

static async Task<int> EvaluateAsync(MlflowClient mlflow, string modelUri)
{
    const string Prefix = "runs:/";
    if (!modelUri.StartsWith(Prefix, StringComparison.Ordinal) || modelUri[Prefix.Length..].Split('/', 2) is not [var modelRun, var path])
    {
        Console.Error.WriteLine($"expected runs:/<run id>/<path>, got '{modelUri}'");
        return 2;
    }

    await using var run = await mlflow.StartRunAsync();
    var folder = Directory.CreateTempSubdirectory("mlw-sample-model-").FullName;
    try
    {
        var local = await mlflow.DownloadArtifactsAsync(modelRun, path, folder);
        var weights = JsonSerializer.Deserialize<Dictionary<string, double>>(await File.ReadAllTextAsync(Path.Combine(local, "weights.json")))!;
        var mse = Mse(Data(seed: 2, count: 100), weights["a"], weights["b"]);
        run.LogMetric("test_mse", mse);
        run.SetTag("evaluated_model", modelUri);
        await run.EndAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test mse {mse:F5} for {modelUri}"));
        return 0;
    }
    finally
    {
        Directory.Delete(folder, recursive: true);
    }
}
