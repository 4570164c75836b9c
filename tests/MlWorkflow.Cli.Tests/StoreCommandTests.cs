using System.Text.Json;
using MlWorkflow.Server;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Cli.Tests;

/// <summary>Where the commands point: a local file store (by <c>--tracking-uri</c>) or a server on 127.0.0.1 (by <c>MLFLOW_TRACKING_URI</c>).</summary>
public enum StoreKind
{
    Local,
    Server,
}

/// <summary>Every store command as a real process, against a local store and a server alike, with JSON output parsed.</summary>
[TestFixture(StoreKind.Local)]
[TestFixture(StoreKind.Server)]
public sealed class StoreCommandTests(StoreKind kind)
{
    private TemporaryDirectory _directory = null!;
    private TrackingServer? _server;
    private string _root = null!;
    private string _uri = null!;

    [SetUp]
    public async Task StartStore()
    {
        _directory = new TemporaryDirectory();
        _root = _directory.Combine("mlruns");
        Directory.CreateDirectory(_root);
        if (kind == StoreKind.Server)
        {
            _server = await TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = _root, Port = 0 });
            _uri = _server.Uri.ToString().TrimEnd('/');
        }
        else
        {
            _uri = _root;
        }
    }

    [TearDown]
    public async Task StopStore()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _directory.Dispose();
    }

    private Task<MlwResult> Mlw(params string[] args) => kind == StoreKind.Server
        ? Tests.Mlw.RunAsync(_directory.Path, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = _uri }, args)
        : Tests.Mlw.RunAsync(_directory.Path, null, [.. args, "--tracking-uri", _uri]);

    private async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await Mlw([.. args, "--output", "json"]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result.Json();
    }

    private async Task<(string ExperimentId, string RunId)> SeedRunAsync()
    {
        await using var client = MlflowClient.Create(_uri);
        var experiment = await client.GetOrCreateExperimentAsync("sales");
        await using var run = await client.StartRunAsync(experiment, runName: "rf-depth5");
        run.LogParam("max_depth", 5);
        run.LogMetric("rmse", 0.5);
        await run.LogTextAsync("notes/readme.txt", "hello");
        await run.LogTextAsync("top.txt", "top");
        await run.EndAsync();
        return (experiment.ExperimentId, run.RunId);
    }

    [Test]
    public async Task Experiments_create_search_rename_delete_restore()
    {
        var created = await JsonAsync("experiments", "create", "-n", "cli-exp");
        var id = created.GetProperty("experiment_id").GetString()!;
        var again = await Mlw("experiments", "create", "-n", "cli-exp");
        var table = await Mlw("experiments", "search");
        var renamed = await Mlw("experiments", "rename", "-x", id, "--new-name", "cli-exp2");
        var deleted = await Mlw("experiments", "delete", "-x", id);
        var active = await JsonAsync("experiments", "search");
        var deletedOnly = await JsonAsync("experiments", "search", "--view", "deleted_only");
        var restored = await Mlw("experiments", "restore", "-x", id);
        var all = await JsonAsync("experiments", "search", "-v", "all");

        Assert.That(again.ExitCode, Is.EqualTo(1), again.ToString());
        Assert.That(again.Stderr, Does.Contain("already exists").And.Not.Contain("   at "));
        Assert.That(table.Stdout, Does.Contain("Experiment Id").And.Contain("cli-exp").And.Contain(id));
        Assert.That(renamed.Stdout, Does.Contain("renamed to 'cli-exp2'"));
        Assert.That(deleted.Stdout, Does.Contain($"Experiment with ID {id} has been deleted."));
        Assert.That(active.EnumerateArray().Select(e => e.GetProperty("experiment_id").GetString()), Does.Not.Contain(id));
        Assert.That(deletedOnly.EnumerateArray().Select(e => e.GetProperty("name").GetString()), Is.EqualTo(new[] { "cli-exp2" }));
        Assert.That(restored.ExitCode, Is.Zero, restored.ToString());
        Assert.That(all.EnumerateArray().Single(e => e.GetProperty("experiment_id").GetString() == id).GetProperty("lifecycle_stage").GetString(), Is.EqualTo("active"));
    }

    [Test]
    public async Task Runs_list_describe_delete_restore()
    {
        var (experimentId, runId) = await SeedRunAsync();

        var table = await Mlw("runs", "list", "--experiment-id", experimentId);
        var described = await JsonAsync("runs", "describe", "--run-id", runId);
        var human = await Mlw("runs", "describe", "--run-id", runId);
        var deleted = await Mlw("runs", "delete", "--run-id", runId);
        var afterDelete = await JsonAsync("runs", "list", "-x", experimentId);
        var deletedOnly = await JsonAsync("runs", "list", "-x", experimentId, "-v", "deleted_only");
        await Mlw("runs", "restore", "--run-id", runId);
        var restored = await JsonAsync("runs", "list", "-x", experimentId);

        Assert.That(table.Stdout, Does.Contain("rf-depth5").And.Contain(runId).And.Contain("FINISHED"));
        Assert.That(described.GetProperty("info").GetProperty("run_id").GetString(), Is.EqualTo(runId));
        Assert.That(described.GetProperty("data").GetProperty("params").GetProperty("max_depth").GetString(), Is.EqualTo("5"));
        Assert.That(described.GetProperty("data").GetProperty("metrics").GetProperty("rmse").GetDouble(), Is.EqualTo(0.5));
        Assert.That(human.Stdout, Does.Contain("max_depth").And.Contain("rmse").And.Contain("FINISHED"));
        Assert.That(deleted.Stdout, Does.Contain($"Run with ID {runId} has been deleted."));
        Assert.That(afterDelete.GetArrayLength(), Is.Zero);
        Assert.That(deletedOnly.EnumerateArray().Single().GetProperty("run_id").GetString(), Is.EqualTo(runId));
        Assert.That(restored.EnumerateArray().Single().GetProperty("lifecycle_stage").GetString(), Is.EqualTo("active"));
    }

    [Test]
    public async Task Runs_list_filters_and_orders_as_told()
    {
        var (experimentId, _) = await SeedRunAsync();
        await using (var client = MlflowClient.Create(_uri))
        {
            foreach (var (name, rmse) in new[] { ("lgbm", 0.2), ("sdca", 0.9) })
            {
                await using var run = await client.StartRunAsync("sales", runName: name);
                run.LogMetric("rmse", rmse);
                await run.EndAsync();
            }
        }

        var best = await JsonAsync("runs", "list", "-x", experimentId, "--order-by", "metrics.rmse ASC");
        var worst = await JsonAsync("runs", "list", "-x", experimentId, "--order-by", "metrics.rmse DESC", "--max-results", "1");
        var filtered = await JsonAsync("runs", "list", "-x", experimentId, "--filter", "metrics.rmse < 0.6", "--order-by", "metrics.rmse DESC");
        var bad = await Mlw("runs", "list", "-x", experimentId, "--order-by", "metrics.rmse SIDEWAYS");

        Assert.That(best.EnumerateArray().Select(r => r.GetProperty("run_name").GetString()), Is.EqualTo(new[] { "lgbm", "rf-depth5", "sdca" }));
        Assert.That(worst.EnumerateArray().Select(r => r.GetProperty("run_name").GetString()), Is.EqualTo(new[] { "sdca" }));
        Assert.That(filtered.EnumerateArray().Select(r => r.GetProperty("run_name").GetString()), Is.EqualTo(new[] { "rf-depth5", "lgbm" }));
        Assert.That(bad.ExitCode, Is.Not.Zero, bad.ToString());
        Assert.That(bad.Stderr, Does.Contain("SIDEWAYS"));
    }

    [Test]
    public async Task Runs_list_takes_the_experiment_from_MLFLOW_EXPERIMENT_ID_or_says_it_is_needed()
    {
        var result = await Mlw("runs", "list");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--experiment-id").And.Contain("MLFLOW_EXPERIMENT_ID"));
    }

    [Test]
    public async Task Artifacts_list_download_and_upload_with_progress()
    {
        var (_, runId) = await SeedRunAsync();
        var upload = _directory.Combine("upload");
        Directory.CreateDirectory(Path.Combine(upload, "deep"));
        await File.WriteAllTextAsync(Path.Combine(upload, "a.csv"), "x,y\n1,2\n");
        await File.WriteAllTextAsync(Path.Combine(upload, "deep", "b.json"), "{}");
        var single = _directory.Combine("single.txt");
        await File.WriteAllTextAsync(single, "one");

        var listed = await JsonAsync("artifacts", "list", "-r", runId);
        var table = await Mlw("artifacts", "list", "-r", runId, "-a", "notes");
        var logOne = await Mlw("artifacts", "log-artifact", "-l", single, "-r", runId, "-a", "extra");
        var logMany = await Mlw("artifacts", "log-artifacts", "-l", upload, "-r", runId, "-a", "data");
        var downloadAll = await Mlw("artifacts", "download", "-r", runId, "-d", _directory.Combine("all"));
        var downloadFolder = await JsonAsync("artifacts", "download", "-u", $"runs:/{runId}/data", "-d", _directory.Combine("folder"));
        var downloadFile = await JsonAsync("artifacts", "download", "-r", runId, "-a", "extra/single.txt", "-d", _directory.Combine("file"));
        var missing = await Mlw("artifacts", "log-artifact", "-l", _directory.Combine("nope.txt"), "-r", runId);

        Assert.That(listed.EnumerateArray().Select(f => (f.GetProperty("path").GetString(), f.GetProperty("is_dir").GetBoolean())),
            Is.EquivalentTo(new[] { ("notes", true), ("top.txt", false) }));
        Assert.That(table.Stdout, Does.Contain("notes/readme.txt").And.Contain("5 B"));
        Assert.That(logOne.ExitCode, Is.Zero, logOne.ToString());
        Assert.That(logOne.Stderr, Does.Contain("[1/1]"));
        Assert.That(logMany.Stderr, Does.Contain("[1/2]").And.Contain("[2/2]"));
        Assert.That(downloadAll.ExitCode, Is.Zero, downloadAll.ToString());
        Assert.That(downloadAll.Stdout.Trim(), Is.EqualTo(_directory.Combine("all")));
        Assert.That(downloadAll.Stderr, Does.Contain("[5/5]"));
        Assert.That(await File.ReadAllTextAsync(_directory.Combine("all", "notes", "readme.txt")), Is.EqualTo("hello"));
        Assert.That(await File.ReadAllTextAsync(_directory.Combine("all", "data", "deep", "b.json")), Is.EqualTo("{}"));
        Assert.That(await File.ReadAllTextAsync(_directory.Combine("all", "extra", "single.txt")), Is.EqualTo("one"));
        Assert.That(downloadFolder.GetProperty("path").GetString(), Is.EqualTo(_directory.Combine("folder", "data")));
        Assert.That(await File.ReadAllTextAsync(_directory.Combine("folder", "data", "a.csv")), Is.EqualTo("x,y\n1,2\n"));
        Assert.That(downloadFile.GetProperty("path").GetString(), Is.EqualTo(_directory.Combine("file", "single.txt")));
        Assert.That(missing.ExitCode, Is.EqualTo(2), missing.ToString());
        Assert.That(missing.Stderr, Does.Contain("is not a file"));
    }

    [Test]
    public async Task Models_list_versions_transition_stage_set_alias()
    {
        var (_, runId) = await SeedRunAsync();
        await using (var client = MlflowClient.Create(_uri))
        {
            await client.Registry.RegisterModelAsync($"runs:/{runId}/notes", "Sales");
            await client.Registry.RegisterModelAsync($"runs:/{runId}/notes", "Sales");
        }

        var moved = await JsonAsync("models", "transition-stage", "-n", "Sales", "--version", "1", "--stage", "Production");
        var aliased = await Mlw("models", "set-alias", "-n", "Sales", "--alias", "champion", "--version", "1");
        var versions = await JsonAsync("models", "versions", "-n", "Sales");
        var models = await JsonAsync("models", "list");
        var table = await Mlw("models", "list");
        var badStage = await Mlw("models", "transition-stage", "-n", "Sales", "--version", "1", "--stage", "Live");
        var missing = await Mlw("models", "set-alias", "-n", "Nope", "--alias", "a", "--version", "1");

        Assert.That(moved[0].GetProperty("current_stage").GetString(), Is.EqualTo("Production"));
        Assert.That(aliased.Stdout, Does.Contain("champion"));
        Assert.That(versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()), Is.EqualTo(new[] { 2, 1 }));
        Assert.That(versions[1].GetProperty("aliases")[0].GetString(), Is.EqualTo("champion"));
        Assert.That(models.EnumerateArray().Single().GetProperty("aliases").GetProperty("champion").GetInt32(), Is.EqualTo(1));
        Assert.That(table.Stdout, Does.Contain("Sales").And.Contain("champion=1"));
        Assert.That(badStage.ExitCode, Is.EqualTo(2), badStage.ToString());
        Assert.That(missing.ExitCode, Is.EqualTo(1), missing.ToString());
        Assert.That(missing.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }
}
