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
}
