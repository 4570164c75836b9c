using System.Diagnostics;
using MlWorkflow.Server;

namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw run</c> end to end: MLproject entry points run as real processes in a run with MLflow's tags and params.</summary>
[TestFixture]
public sealed class RunCommandTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    private string Store => _directory.Combine("mlruns");

    private Task<MlwResult> Mlw(params string[] args) => Tests.Mlw.RunAsync(_directory.Path, null, [.. args, "--tracking-uri", Store]);

    private string Project(string mlproject)
    {
        var folder = _directory.Combine("project");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "MLproject"), mlproject);
        return folder;
    }

    private const string Tiny = """
        name: tiny
        entry_points:
          main:
            parameters:
              alpha: {type: float, default: 0.5}
              n: int
              s: {type: string, default: "hi there"}
              code: {type: int, default: 0}
            command: "echo alpha={alpha} n={n} s={s} run=$MLFLOW_RUN_ID experiment=$MLFLOW_EXPERIMENT_ID; exit {code}"
        """;

    private async Task<Run> OnlyRunAsync()
    {
        await using var client = MlflowClient.Create(Store);
        var runs = await client.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = (await client.SearchExperimentsAsync()).Items.Select(e => e.ExperimentId).ToList() });
        return runs.Items.Single();
    }

    private static string Tag(Run run, string key) => run.Data.Tags.Single(t => t.Key == key).Value;

    [Test]
    public async Task The_sample_project_trains_with_its_defaults_and_evaluates_its_model_in_runs_with_mlflow_s_tags()
    {
        var sample = Path.Combine(Tests.Mlw.RepositoryRoot, "samples", "Project");

        var trained = await Mlw("run", sample, "--experiment-name", "projects", "--run-name", "first", "-o", "json");

        Assert.That(trained.ExitCode, Is.Zero, trained.ToString());
        var runId = trained.Json().GetProperty("run_id").GetString()!;
        await using var client = MlflowClient.Create(Store);
        var run = await client.GetRunAsync(runId);
        var commit = await Projects_GitAsync(sample, "rev-parse", "HEAD");
        var workTree = await Projects_GitAsync(sample, "rev-parse", "--show-toplevel");
        Assert.Multiple(() =>
        {
            Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Finished));
            Assert.That(run.Info.RunName, Is.EqualTo("first"));
            Assert.That(run.Data.Params.ToDictionary(p => p.Key, p => p.Value), Is.EqualTo(new Dictionary<string, string> { ["alpha"] = "0.05", ["epochs"] = "50" }));
            Assert.That(Tag(run, "mlflow.source.type"), Is.EqualTo("PROJECT"));
            Assert.That(Tag(run, "mlflow.source.name"), Is.EqualTo($"file://{workTree}#samples/Project"));
            Assert.That(Tag(run, "mlflow.source.git.commit"), Is.EqualTo(commit));
            Assert.That(Tag(run, "mlflow.project.entryPoint"), Is.EqualTo("main"));
            Assert.That(Tag(run, "mlflow.project.backend"), Is.EqualTo("local"));
            Assert.That(Tag(run, "mlw.dotnet.globalJsonSdk"), Is.EqualTo("10.0.100"));
            Assert.That(Tag(run, "mlw.dotnet.sdkVersion"), Does.StartWith("10.0."));
            Assert.That(run.Data.Metrics.Single(m => m.Key == "mse").Value, Is.LessThan(0.01), "the child's metrics land in the same run");
        });
        var output = await File.ReadAllTextAsync(Path.Combine(new Uri(run.Info.ArtifactUri).LocalPath, "mlw-run-output.log"));
        Assert.That(output, Does.Contain($"in run {runId}"));

        var evaluated = await Mlw("run", sample, "-e", "evaluate", "-P", $"model_uri=runs:/{runId}/model", "--experiment-name", "projects", "-o", "json");

        Assert.That(evaluated.ExitCode, Is.Zero, evaluated.ToString());
        var evaluation = await client.GetRunAsync(evaluated.Json().GetProperty("run_id").GetString()!);
        Assert.That(evaluation.Data.Metrics.Single(m => m.Key == "test_mse").Value, Is.LessThan(0.01));
        Assert.That(Tag(evaluation, "mlflow.project.entryPoint"), Is.EqualTo("evaluate"));
        Assert.That(evaluation.Data.Params.Single().Value, Is.EqualTo($"runs:/{runId}/model"));
    }

    private static async Task<string> Projects_GitAsync(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"git {string.Join(' ', args)}");
        return output.Trim();
    }

    [TestCase("n=1 nope=2", "Unknown parameter(s)", "'nope'")]
    [TestCase("alpha=0.1", "missing parameters", "'n'")]
    [TestCase("n=1.5", "must be an int", "1.5")]
    [TestCase("n=1 alpha=fast", "must be a float", "fast")]
    [TestCase("n", "Use -P name=value", "'n'")]
    public async Task Bad_parameters_are_refused_before_any_run_is_created(string parameters, string message, string quoted)
    {
        var project = Project(Tiny);
        string[] args = ["run", project, .. parameters.Split(' ').SelectMany(p => new[] { "-P", p })];

        var result = await Mlw(args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain(message).And.Contain(quoted));
        Assert.That(result.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(Directory.Exists(Store) ? Directory.EnumerateDirectories(Path.Combine(Store, "0")).Count() : 0, Is.Zero, "no run was created");
    }

    [Test]
    public async Task A_run_gets_the_quoted_params_and_the_child_sees_its_run_and_experiment()
    {
        var project = Project(Tiny);

        var result = await Mlw("run", project, "-P", "n=3", "-P", "s=a b");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var run = await OnlyRunAsync();
        Assert.That(result.Stdout, Does.Contain($"alpha=0.5 n=3 s=a b run={run.Info.RunId} experiment=0"));
        Assert.That(run.Data.Params.ToDictionary(p => p.Key, p => p.Value), Is.EqualTo(new Dictionary<string, string> { ["alpha"] = "0.5", ["n"] = "3", ["s"] = "'a b'", ["code"] = "0" }));
        Assert.That(Tag(run, "mlflow.source.name"), Is.EqualTo(project), "not a git folder: its path");
        Assert.That(run.Data.Tags.Any(t => t.Key == "mlflow.source.git.commit"), Is.False);
    }

    [Test]
    public async Task Path_parameters_must_exist_and_reach_the_command_absolute_uri_parameters_need_a_scheme()
    {
        var project = Project("""
            entry_points:
              main:
                parameters:
                  data: path
                  source: {type: uri, default: "s3://bucket/key"}
                command: "echo data={data} source={source}"
            """);
        await File.WriteAllTextAsync(_directory.Combine("train.csv"), "x\n1\n");

        var missing = await Mlw("run", project, "-P", "data=nope.csv");
        var notUri = await Mlw("run", project, "-P", "data=train.csv", "-P", "source=notauri");
        var ran = await Mlw("run", project, "-P", "data=train.csv");

        Assert.That(missing.ExitCode, Is.EqualTo(2), missing.ToString());
        Assert.That(missing.Stderr, Does.Contain("'nope.csv' does not exist"));
        Assert.That(notUri.ExitCode, Is.EqualTo(2), notUri.ToString());
        Assert.That(notUri.Stderr, Does.Contain("must be a URI"));
        Assert.That(ran.ExitCode, Is.Zero, ran.ToString());
        Assert.That(ran.Stdout, Does.Contain($"data={_directory.Combine("train.csv")} source=s3://bucket/key"));
        Assert.That((await OnlyRunAsync()).Data.Params.Single(p => p.Key == "data").Value, Is.EqualTo("train.csv"), "logged as given, as MLflow does");
    }

    [Test]
    public async Task A_failing_command_ends_the_run_failed_with_exit_1_and_its_output_saved()
    {
        var project = Project(Tiny);

        var result = await Mlw("run", project, "-P", "n=1", "-P", "code=3");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain("failed (exit code 3)"));
        var run = await OnlyRunAsync();
        Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Failed));
        var output = await File.ReadAllTextAsync(Path.Combine(new Uri(run.Info.ArtifactUri).LocalPath, "mlw-run-output.log"));
        Assert.That(output, Does.Contain("alpha=0.5 n=1"));
    }

    [Test]
    public async Task An_interrupt_stops_the_child_and_ends_the_run_killed()
    {
        var marker = _directory.Combine("child.pid");
        var project = Project($$"""
            entry_points:
              main:
                command: "echo $$ > {{marker}}; echo started; sleep 300"
            """);
        using var process = Process.Start(Tests.Mlw.StartInfo(_directory.Path, null, "run", project, "--tracking-uri", Store))!;
        var stderr = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } line && line != "started")
        {
        }

        var childPid = int.Parse((await File.ReadAllTextAsync(marker)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Tests.Mlw.InterruptAsync(process);

        Assert.That(process.ExitCode, Is.EqualTo(1), await stderr);
        Assert.That(await stderr, Does.Contain("was killed"));
        Assert.That(Directory.Exists($"/proc/{childPid}"), Is.False, "the child was stopped");
        var run = await OnlyRunAsync();
        Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Killed));
        Assert.That(File.Exists(Path.Combine(new Uri(run.Info.ArtifactUri).LocalPath, "mlw-run-output.log")), Is.True);
    }

    [Test]
    public async Task A_python_env_project_runs_only_with_env_manager_local()
    {
        var project = Project("""
            python_env: python_env.yaml
            entry_points:
              main:
                command: "echo ran"
            """);

        var refused = await Mlw("run", project);
        var ran = await Mlw("run", project, "--env-manager", "local");

        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain("--env-manager local"));
        Assert.That(ran.ExitCode, Is.Zero, ran.ToString());
        Assert.That(ran.Stdout, Does.Contain("ran"));
    }

    [Test]
    public async Task Version_runs_a_commit_of_the_project_s_git_repository()
    {
        var project = Project("""
            entry_points:
              main:
                command: "cat content.txt"
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "content.txt"), "first");
        await Projects_GitAsync(project, "init", "--quiet");
        await Projects_GitAsync(project, "remote", "add", "upstream", "https://example.com/team/project.git");
        await Projects_GitAsync(project, "remote", "add", "zz-mirror", "https://example.com/mirror.git");
        await Projects_GitAsync(project, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "--allow-empty", "-m", "empty");
        await Projects_GitAsync(project, "add", ".");
        await Projects_GitAsync(project, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "first");
        var first = await Projects_GitAsync(project, "rev-parse", "HEAD");
        await File.WriteAllTextAsync(Path.Combine(project, "content.txt"), "second");
        await Projects_GitAsync(project, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-am", "second");

        var result = await Mlw("run", project, "--version", first);
        var missing = await Mlw("run", project, "--version", "no-such-branch");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("first").And.Not.Contain("second"));
        var run = await OnlyRunAsync();
        Assert.That(Tag(run, "mlflow.source.git.commit"), Is.EqualTo(first));
        Assert.That(Tag(run, "mlflow.source.git.repoURL"), Is.EqualTo("https://example.com/team/project.git"), "the first remote's URL");
        Assert.That(missing.ExitCode, Is.EqualTo(2), missing.ToString());
        Assert.That(missing.Stderr, Does.Contain("no-such-branch"));
    }

    [Test]
    public async Task A_project_runs_against_a_server_too()
    {
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = Store, Port = 0 });
        var project = Project(Tiny);
        var uri = server.Uri.ToString().TrimEnd('/');

        var result = await Tests.Mlw.RunAsync(_directory.Path, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = uri }, "run", project, "-P", "n=2", "--experiment-name", "remote", "-o", "json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var runId = result.Json().GetProperty("run_id").GetString()!;
        await using var client = MlflowClient.Create(uri);
        var run = await client.GetRunAsync(runId);
        Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Finished));
        Assert.That((await client.ListArtifactsAsync(runId)).Select(f => f.Path), Does.Contain("mlw-run-output.log"));
        Assert.That(result.Stderr, Does.Contain($"run={runId}"), "--output json sends the child's stdout to stderr");
    }
}
