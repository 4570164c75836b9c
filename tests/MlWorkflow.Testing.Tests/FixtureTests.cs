using System.Net.Http;
using MlWorkflow.Testing.Fixtures;
using MlWorkflow.Tracking;

namespace MlWorkflow.Testing.Tests;

public sealed class FixtureTests
{
    [Test]
    public async Task A_temporary_store_holds_runs_and_is_deleted_on_dispose()
    {
        string root;
        await using (var store = TemporaryTrackingStore.Create())
        {
            root = store.Root;
            string runId;
            await using (var run = await store.Client.StartRunAsync())
            {
                run.LogMetric("rmse", 0.5);
                runId = run.RunId;
            }

            using var other = MlflowClient.Create(store.TrackingUri);
            var read = await other.GetRunAsync(runId);
            Assert.That(read.Data.GetMetric("rmse")?.Value, Is.EqualTo(0.5), "code under test given the tracking URI sees the run");
        }

        Assert.That(Directory.Exists(root), Is.False, "nothing is left behind");
    }

    [Test]
    public async Task A_temporary_sqlite_store_is_a_database_in_mlflow_s_schema_with_artifacts_inside_and_is_deleted_on_dispose()
    {
        string root;
        await using (var store = TemporaryTrackingStore.CreateSqlite())
        {
            root = store.Root;
            string runId;
            await using (var run = await store.Client.StartRunAsync("sqlite-fixture"))
            {
                run.LogMetric("rmse", 0.25);
                await run.LogTextAsync("notes.txt", "kept inside the store's folder");
                runId = run.RunId;
            }

            using var other = MlflowClient.Create(store.TrackingUri);
            var read = await other.GetRunAsync(runId);
            Assert.Multiple(() =>
            {
                Assert.That(store.TrackingUri, Does.StartWith("sqlite:///").And.EndWith("mlflow.db"));
                Assert.That(File.Exists(Path.Combine(root, "mlflow.db")), Is.True);
                Assert.That(read.Data.GetMetric("rmse")?.Value, Is.EqualTo(0.25), "code under test given the tracking URI sees the run");
                Assert.That(Directory.GetFiles(Path.Combine(root, "artifacts"), "notes.txt", SearchOption.AllDirectories), Has.Length.EqualTo(1));
            });
        }

        Assert.That(Directory.Exists(root), Is.False, "nothing is left behind");
    }

    [Test]
    public async Task An_in_process_server_listens_on_loopback_and_stops_and_deletes_its_store_on_dispose()
    {
        string root;
        Uri uri;
        await using (var server = await InProcessTrackingServer.StartAsync())
        {
            root = server.Root;
            uri = server.Uri;
            Assert.That(uri.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(uri.Port, Is.Not.Zero);
            var experimentId = await server.Client.CreateExperimentAsync("fixture");

            using var other = MlflowClient.Create(server.TrackingUri);
            var experiment = await other.GetExperimentAsync(experimentId);
            Assert.That(experiment.Name, Is.EqualTo("fixture"), "code under test given the tracking URI reaches the server");
            Assert.That(Directory.EnumerateFileSystemEntries(root), Is.Not.Empty, "the server writes to its own store");
        }

        Assert.That(Directory.Exists(root), Is.False, "nothing is left behind");
        using var http = new HttpClient();
        await Assert.CatchAsync<HttpRequestException>(async () => await http.GetAsync(new Uri(uri, "/health")), "the server has stopped");
    }

    [Test]
    [NonParallelizable]
    public void An_environment_scope_sets_the_tracking_uri_and_restores_what_was_there()
    {
        var before = Environment.GetEnvironmentVariable(EnvironmentScope.TrackingUriVariable);
        try
        {
            Environment.SetEnvironmentVariable(EnvironmentScope.TrackingUriVariable, "http://127.0.0.1:1");
            using (EnvironmentScope.TrackingUri("/tmp/inside"))
            {
                Assert.That(Environment.GetEnvironmentVariable(EnvironmentScope.TrackingUriVariable), Is.EqualTo("/tmp/inside"));
            }

            Assert.That(Environment.GetEnvironmentVariable(EnvironmentScope.TrackingUriVariable), Is.EqualTo("http://127.0.0.1:1"));

            Environment.SetEnvironmentVariable(EnvironmentScope.TrackingUriVariable, null);
            using (EnvironmentScope.TrackingUri("/tmp/inside"))
            {
            }

            Assert.That(Environment.GetEnvironmentVariable(EnvironmentScope.TrackingUriVariable), Is.Null, "a variable that was not set is removed again");
        }
        finally
        {
            Environment.SetEnvironmentVariable(EnvironmentScope.TrackingUriVariable, before);
        }
    }
}
