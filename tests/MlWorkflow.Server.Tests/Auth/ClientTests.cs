using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Auth;

/// <summary>MlflowClient against a server with auth: credentials from MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, artifacts through the proxy.</summary>
[TestFixture]
public sealed class ClientTests : AuthServerFixture
{
    [Test]
    public async Task A_client_with_mlflow_s_credential_variables_tracks_runs_and_artifacts()
    {
        await CreateUserAsync("alice");
        var variables = new Dictionary<string, string> { ["MLFLOW_TRACKING_USERNAME"] = "alice", ["MLFLOW_TRACKING_PASSWORD"] = "alice-pw" };
        await using var client = MlflowClient.Create(Server.Uri.ToString(), new MlflowClientOptions { Rest = RestStoreOptions.FromEnvironment(v => variables.GetValueOrDefault(v)) });
        var file = Path.Combine(Directory.Path, "notes.txt");
        await File.WriteAllTextAsync(file, "logged through the proxy");

        var experimentId = await client.CreateExperimentAsync("alice-client");
        var run = await client.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId });
        await client.LogMetricAsync(run.Info.RunId, "loss", 0.5);
        await client.LogArtifactAsync(run.Info.RunId, file);
        var downloaded = await client.DownloadArtifactsAsync(run.Info.RunId, "notes.txt", Path.Combine(Directory.Path, "down"));
        var history = await client.GetMetricHistoryAsync(run.Info.RunId, "loss");

        Assert.That(history.Select(m => m.Value), Is.EqualTo(new[] { 0.5 }));
        Assert.That(await File.ReadAllTextAsync(downloaded), Is.EqualTo("logged through the proxy"));
    }

    [Test]
    public async Task A_client_with_a_wrong_password_gets_an_unauthenticated_error()
    {
        await CreateUserAsync("alice");
        await using var client = MlflowClient.Create(Server.Uri.ToString(), new MlflowClientOptions { Rest = new RestStoreOptions { Username = "alice", Password = "wrong" } });

        var error = await Assert.ThrowsAsync<MlflowException>(async () => await client.CreateExperimentAsync("x"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.Unauthenticated));
    }

    [Test]
    public async Task A_client_without_permission_gets_permission_denied()
    {
        await CreateUserAsync("alice");
        await using var client = MlflowClient.Create(Server.Uri.ToString(), new MlflowClientOptions { Rest = new RestStoreOptions { Username = "alice", Password = "alice-pw" } });

        var error = await Assert.ThrowsAsync<MlflowException>(async () => await client.RenameExperimentAsync("0", "mine"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.PermissionDenied));
    }

    [Test]
    public async Task A_full_log_batch_is_checked_and_written_whole_and_refused_whole_to_a_reader()
    {
        // 1,000 points (~70 KB of JSON): the permission check reads the body, the endpoint reads it again.
        await CreateUserAsync("alice");
        await CreateUserAsync("bob");
        await using var alice = MlflowClient.Create(Server.Uri.ToString(), new MlflowClientOptions { Rest = new RestStoreOptions { Username = "alice", Password = "alice-pw" } });
        await using var bob = MlflowClient.Create(Server.Uri.ToString(), new MlflowClientOptions { Rest = new RestStoreOptions { Username = "bob", Password = "bob-pw" } });
        var experimentId = await alice.CreateExperimentAsync("alice-batch");
        var run = await alice.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId });
        var points = Enumerable.Range(0, 1000).Select(i => new Metric("m" + (i % 10), 1.0 / (i + 1), 1_700_000_000_000 + i, i)).ToArray();

        await alice.Store.LogBatchAsync(run.Info.RunId, points, [], []);
        var refused = await Assert.ThrowsAsync<MlflowException>(async () => await bob.Store.LogBatchAsync(run.Info.RunId, [.. points.Select(p => p with { Step = p.Step + 1000 })], [], []));
        var stored = 0;
        for (var k = 0; k < 10; k++)
        {
            stored += (await FileStore.GetMetricHistoryAsync(run.Info.RunId, "m" + k, maxResults: 25_000)).Items.Count;
        }

        Assert.That(stored, Is.EqualTo(1000), "alice's batch whole, nothing of bob's");
        Assert.That(refused!.ErrorCode, Is.EqualTo(ErrorCode.PermissionDenied));
    }
}
