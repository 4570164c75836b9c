using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using MlWorkflow.Models;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Training;

namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw models serve</c> as a process: it serves a registered model over MLflow's scoring protocol and stops on Ctrl+C (issue 13 point 6).</summary>
[TestFixture]
public sealed class ModelsServeCommandTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task Serve_answers_dataframe_split_with_the_models_predictions_and_stops_on_ctrl_c()
    {
        var root = _directory.Combine("mlruns");
        using var client = MlflowClient.Create(root);
        string runUri;
        using (var trained = await Workflow.Create(3)
            .Load(new MLContext(3).Data.LoadFromEnumerable(Houses()))
            .Features(f => f.OneHot("town"))
            .Label("price")
            .Train(Trainers.Regression.FastTree(trees: 10))
            .Track(client, "houses")
            .RunAsync())
        {
            runUri = trained.Tracking!.ModelUri!;
        }

        var version = await client.Registry.RegisterModelAsync(runUri, "Houses");
        await client.Registry.TransitionStageAsync("Houses", version.Version, ModelVersionStage.Production);
        var model = await client.LoadMlnetModelAsync(runUri);
        var expected = model.Predict<HouseInput, ScorePrediction>([new HouseInput { rooms = 3, town = "north" }, new HouseInput { rooms = 6, town = "south" }]).Select(p => (double)p.Score).ToArray();

        using var process = Process.Start(Mlw.StartInfo(_directory.Path, null, "models", "serve", "-m", "models:/Houses/Production", "--tracking-uri", root, "--port", "0", "--log-level", "warning"))!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string? line;
            Uri? uri = null;
            while ((line = await process.StandardOutput.ReadLineAsync()) is not null)
            {
                var at = line.IndexOf(" on http://", StringComparison.Ordinal);
                if (at >= 0)
                {
                    Assert.That(line, Does.Contain("(version 1)"));
                    uri = new Uri(line[(at + 4)..line.IndexOf(';', at)]);
                    break;
                }
            }

            Assert.That(uri, Is.Not.Null, "mlw printed no address");
            Assert.That(uri!.Host, Is.EqualTo("127.0.0.1"));
            using var http = new HttpClient { BaseAddress = uri };
            const string Body = """{"dataframe_split": {"columns": ["rooms", "town"], "data": [[3, "north"], [6, "south"]]}}""";
            using var response = await http.PostAsync(new Uri("invocations", UriKind.Relative), new StringContent(Body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            using var json = JsonDocument.Parse(text);
            var predictions = json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetDouble()).ToArray();
            Assert.That(predictions, Is.EqualTo(expected).Within(1e-4));

            // A missing column is MLflow's 400, not a crash of the server.
            using var bad = await http.PostAsync(new Uri("invocations", UriKind.Relative), new StringContent("""{"dataframe_split": {"columns": ["rooms"], "data": [[3]]}}""", Encoding.UTF8, "application/json"));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

            await Mlw.InterruptAsync(process);
            Assert.That(process.ExitCode, Is.Zero, await stderr);
        }
        finally
        {
            await Mlw.StopAsync(process);
        }
    }

    [Test]
    public async Task Serving_a_model_that_does_not_exist_says_so_in_one_line()
    {
        var result = await Mlw.RunAsync(_directory.Path, null, "models", "serve", "-m", "models:/Nothing/Production", "--tracking-uri", _directory.Combine("mlruns"), "--port", "0");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), result.ToString());
            Assert.That(result.Stderr, Does.StartWith("mlw: ").And.Contain("Nothing"), result.ToString());
        });
    }

    [Test]
    public async Task A_host_that_is_not_an_address_is_a_usage_error()
    {
        var result = await Mlw.RunAsync(_directory.Path, null, "models", "serve", "-m", "./model", "--host", "example.org", "--port", "0");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.StartWith("mlw: ").And.Contain("example.org"), result.ToString());
        });
    }

    [TestCase("--timeout", "-1", null, "--timeout must be between 0")]
    [TestCase("--port", "0", "soon", "MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT='soon'")]
    public async Task A_bad_timeout_is_a_usage_error(string option, string value, string? environment, string message)
    {
        var result = await Mlw.RunAsync(_directory.Path, new Dictionary<string, string?> { ["MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT"] = environment }, "models", "serve", "-m", "./model", option, value);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain(message), result.ToString());
        });
    }

    private static House[] Houses()
    {
        var random = new Random(7);
        string[] towns = ["north", "south", "east"];
        return Enumerable.Range(0, 200).Select(_ =>
        {
            var rooms = random.Next(1, 8);
            var town = towns[random.Next(towns.Length)];
            return new House { rooms = rooms, town = town, price = (rooms * 50) + (town == "south" ? 80 : 0) + (float)(random.NextDouble() * 10) };
        }).ToArray();
    }

#pragma warning disable IDE1006, SA1300, CA1812 // Column names as a data set writes them; made by ML.NET.
    private sealed class House
    {
        public float rooms { get; set; }

        public string town { get; set; } = string.Empty;

        public float price { get; set; }
    }

    private sealed class HouseInput
    {
        public float rooms { get; set; }

        public string town { get; set; } = string.Empty;
    }

    private sealed class ScorePrediction
    {
        public float Score { get; set; }
    }
#pragma warning restore IDE1006, SA1300, CA1812
}
