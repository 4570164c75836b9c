using System.Text.Json;
using MlWorkflow.Tracking;

namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw automl</c> as a real process, on a real data set, into a file store.</summary>
public sealed class AutoMlCommandTests
{
    private static readonly string BreastCancer = Path.Combine(Mlw.RepositoryRoot, "tests", "MlWorkflow.Tests", "TestData", "datasets", "breast_cancer.csv");

    private static readonly string Diamonds = Path.Combine(Mlw.RepositoryRoot, "tests", "MlWorkflow.Tests", "TestData", "datasets", "diamonds.csv");

    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateFolder() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteFolder() => _directory.Dispose();

    [Test]
    public async Task Automl_searches_tracks_every_trial_and_prints_the_winner_as_json()
    {
        var store = _directory.Combine("mlruns");
        var result = await Mlw.RunAsync(
            _directory.Path, null,
            "automl", "--data", BreastCancer, "--label", "target", "--max-trials", "3", "--experiment", "cancer",
            "--register", "cancer-model", "--tracking-uri", store, "-o", "json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        var runId = root.GetProperty("run_id").GetString()!;
        using var client = MlflowClient.Create(store);
        var experiment = await client.GetExperimentByNameAsync("cancer");
        var runs = (await client.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experiment!.ExperimentId] })).Items;
        var code = await client.ListArtifactsAsync(runId, "code");
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("metric").GetString(), Is.EqualTo("auc"));
            Assert.That(root.GetProperty("trials").GetInt32(), Is.EqualTo(3));
            Assert.That(root.GetProperty("test_metrics").GetProperty("auc").GetDouble(), Is.GreaterThan(0.9));
            Assert.That(root.GetProperty("model_uri").GetString(), Is.EqualTo($"runs:/{runId}/model"));
            Assert.That(root.GetProperty("registered_version").GetInt32(), Is.EqualTo(1));
            Assert.That(runs.Count(r => r.Data.GetTag("mlflow.parentRunId") == runId), Is.EqualTo(3));
            // The winner written as code (a project and a notebook) through the artifact-writer seam.
            Assert.That(code, Is.Not.Empty);
            // Progress goes to stderr, one line per trial when it is not a terminal.
            Assert.That(result.Stderr, Does.Contain("[trial 1]").And.Contain("[trial 3] best auc"));
        });
    }

    [Test]
    public async Task Automl_refuses_a_missing_file_and_an_unknown_metric_with_a_usage_error()
    {
        var missing = await Mlw.RunAsync(_directory.Path, null, "automl", "--data", "nope.csv", "--label", "target", "--tracking-uri", _directory.Combine("mlruns"));
        var metric = await Mlw.RunAsync(
            _directory.Path, null, "automl", "--data", BreastCancer, "--label", "target", "--metric", "rmse", "--max-trials", "1", "--tracking-uri", _directory.Combine("mlruns"));
        Assert.Multiple(() =>
        {
            Assert.That(missing.ExitCode, Is.EqualTo(2));
            Assert.That(missing.Stderr, Does.Contain("no such file"));
            Assert.That(metric.ExitCode, Is.EqualTo(2));
            Assert.That(metric.Stderr, Does.Contain("cannot optimise metric 'rmse'").And.Contain("auc"));
        });
    }

    [Test]
    public async Task Automl_prints_an_ensemble_it_chose_and_refits_the_best_trial_alone_with_no_ensemble()
    {
        string[] search = ["automl", "--data", Diamonds, "--label", "price", "--max-trials", "14", "--seed", "3", "--test-fraction", "0.1", "--tracking-uri", _directory.Combine("mlruns")];
        var json = await Mlw.RunAsync(_directory.Path, null, [.. search, "-o", "json"]);
        var table = await Mlw.RunAsync(_directory.Path, null, search);
        var single = await Mlw.RunAsync(_directory.Path, null, [.. search, "--no-ensemble", "-o", "json"]);

        Assert.That(json.ExitCode + table.ExitCode + single.ExitCode, Is.Zero, json.Stderr + table.Stderr + single.Stderr);
        using var chosen = JsonDocument.Parse(json.Stdout);
        using var alone = JsonDocument.Parse(single.Stdout);
        var members = chosen.RootElement.GetProperty("ensemble").EnumerateArray().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(chosen.RootElement.GetProperty("best_trainer").GetString(), Does.StartWith("Ensemble("));
            Assert.That(members, Has.Length.GreaterThanOrEqualTo(2));
            Assert.That(members.Sum(m => m.GetProperty("weight").GetDouble()), Is.EqualTo(1).Within(1e-9));
            Assert.That(members.Select(m => m.GetProperty("trainer").GetString()), Is.Unique);
            Assert.That(table.Stdout, Does.Contain("Best: an ensemble of trial ").And.Contain("val_rmse"));
            Assert.That(alone.RootElement.GetProperty("ensemble").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(alone.RootElement.GetProperty("best_trainer").GetString(), Does.Not.StartWith("Ensemble("));
        });
    }
}
