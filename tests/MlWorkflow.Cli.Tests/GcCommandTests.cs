namespace MlWorkflow.Cli.Tests;

/// <summary><c>mlw gc</c> on a real file store: deleted runs and experiments go for good, active ones stay.</summary>
[TestFixture]
public sealed class GcCommandTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    private async Task<(string Kept, string Deleted, string DeletedExperiment, string RunOfDeletedExperiment, string ExperimentId)> SeedAsync(string root)
    {
        await using var client = MlflowClient.Create(root);
        var experiment = await client.GetOrCreateExperimentAsync("keep");
        var doomed = await client.GetOrCreateExperimentAsync("doomed");
        async Task<string> RunAsync(Experiment e)
        {
            await using var run = await client.StartRunAsync(e);
            await run.LogTextAsync("a.txt", "a");
            await run.EndAsync();
            return run.RunId;
        }

        var kept = await RunAsync(experiment);
        var deleted = await RunAsync(experiment);
        var inDoomed = await RunAsync(doomed);
        await client.DeleteRunAsync(deleted);
        await client.DeleteExperimentAsync(doomed.ExperimentId);
        return (kept, deleted, doomed.ExperimentId, inDoomed, experiment.ExperimentId);
    }

    [Test]
    public async Task Gc_removes_deleted_runs_and_experiments_for_good_and_keeps_the_rest()
    {
        var root = _directory.Combine("mlruns");
        var (kept, deleted, doomed, inDoomed, experimentId) = await SeedAsync(root);

        var result = await Mlw.RunAsync(_directory.Path, null, "gc", "--backend-store-uri", root, "--output", "json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var json = result.Json();
        Assert.That(json.GetProperty("runs").EnumerateArray().Select(r => r.GetString()), Is.EquivalentTo(new[] { deleted, inDoomed }));
        Assert.That(json.GetProperty("experiments").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { doomed }));
        Assert.That(Directory.Exists(Path.Combine(root, experimentId, deleted)), Is.False);
        Assert.That(Directory.Exists(Path.Combine(root, ".trash", doomed)), Is.False);
        Assert.That(File.Exists(Path.Combine(root, experimentId, kept, "artifacts", "a.txt")), Is.True);
        await using var client = MlflowClient.Create(root);
        Assert.That((await client.GetRunAsync(kept)).Info.RunId, Is.EqualTo(kept));
        await Assert.ThrowsAsync<MlflowException>(() => client.RestoreRunAsync(deleted));
    }

    [Test]
    public async Task Gc_with_run_ids_removes_only_those_and_refuses_an_active_run_before_touching_anything()
    {
        var root = _directory.Combine("mlruns");
        var (kept, deleted, doomed, _, experimentId) = await SeedAsync(root);

        var refused = await Mlw.RunAsync(_directory.Path, null, "gc", "--backend-store-uri", root, "--run-ids", $"{deleted},{kept}");
        var onlyOne = await Mlw.RunAsync(_directory.Path, null, "gc", "--backend-store-uri", root, "--run-ids", deleted);

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain(kept).And.Contain("not in the deleted state"));
        Assert.That(onlyOne.ExitCode, Is.Zero, onlyOne.ToString());
        Assert.That(onlyOne.Stdout, Does.Contain($"Run with ID {deleted} has been permanently deleted."));
        Assert.That(Directory.Exists(Path.Combine(root, experimentId, deleted)), Is.False);
        Assert.That(Directory.Exists(Path.Combine(root, ".trash", doomed)), Is.True);
    }

    [Test]
    public async Task Gc_older_than_keeps_what_was_deleted_recently()
    {
        var root = _directory.Combine("mlruns");
        var (_, deleted, doomed, _, experimentId) = await SeedAsync(root);

        var result = await Mlw.RunAsync(_directory.Path, null, "gc", "--backend-store-uri", root, "--older-than", "1d");
        var bad = await Mlw.RunAsync(_directory.Path, null, "gc", "--backend-store-uri", root, "--older-than", "soon");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Nothing to remove"));
        Assert.That(Directory.Exists(Path.Combine(root, experimentId, deleted)), Is.True);
        Assert.That(Directory.Exists(Path.Combine(root, ".trash", doomed)), Is.True);
        Assert.That(bad.ExitCode, Is.EqualTo(2), bad.ToString());
    }

    [Test]
    public async Task Gc_against_a_server_uri_says_it_needs_the_folder()
    {
        var result = await Mlw.RunAsync(_directory.Path, null, "gc", "--backend-store-uri", "http://127.0.0.1:5000");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("folder"));
    }
}
