using System.Net;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Models;
using MlWorkflow.Server;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.S3.Tests;

/// <summary>
/// Runs whose artifacts live in S3: written directly by the client (an <c>s3://</c> artifact_uri, from a store or a server started
/// with <c>--default-artifact-root s3://…</c>), and through a server whose <c>--artifacts-destination</c> is S3 (issue 18 point 1).
/// </summary>
public sealed class S3RunArtifactTests
{
    [Test]
    public async Task A_run_under_an_s3_default_artifact_root_logs_and_loads_artifacts_and_models_directly()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        using var temp = new TemporaryDirectory();
        var client = new MlflowClient(new FileTrackingStore(temp.Combine("mlruns"), defaultArtifactRoot: $"s3://{bucket}/root/"));

        await using var run = await client.StartRunAsync("s3-direct");
        await run.LogTextAsync("docs/notes.txt", "hello s3");
        var (ml, model, data) = TrainModel();
        var modelUri = await run.LogMlnetModelAsync(ml, model, data.Schema);

        var prefix = $"root/{run.ExperimentId}/{run.RunId}/artifacts/";
        var keys = await MotoServer.Instance.KeysAsync(bucket);
        var loaded = await client.LoadMlnetModelAsync(modelUri);
        var downloaded = await run.DownloadArtifactsAsync("docs", temp.Combine("out"));
        Assert.Multiple(() =>
        {
            Assert.That(run.Info.ArtifactUri, Is.EqualTo($"s3://{bucket}/{prefix.TrimEnd('/')}"));
            Assert.That(keys, Does.Contain(prefix + "docs/notes.txt"));
            Assert.That(keys, Does.Contain(prefix + "model/MLmodel").And.Contain(prefix + "model/model.zip"));
            Assert.That(File.ReadAllText(Path.Combine(downloaded, "notes.txt")), Is.EqualTo("hello s3"));
            Assert.That(Scores(loaded.Predict(data)), Is.EqualTo(Scores(model.Transform(data))), "the model loaded from S3 predicts as the trained one");
        });
    }

    [Test]
    public async Task A_server_started_with_an_s3_default_artifact_root_lets_clients_write_to_S3_themselves()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        using var temp = new TemporaryDirectory();
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions
        {
            BackendStoreUri = temp.Combine("mlruns"),
            DefaultArtifactRoot = $"s3://{bucket}/direct",
            ServeArtifacts = false,
            ServeUi = false,
            Port = 0,
        });
        var client = MlflowClient.Create(server.Uri.ToString().TrimEnd('/'));

        await using var run = await client.StartRunAsync("server-direct");
        await run.LogTextAsync("a.txt", "direct");
        var listed = await client.ListArtifactsAsync(run.RunId);

        Assert.Multiple(async () =>
        {
            Assert.That(run.Info.ArtifactUri, Is.EqualTo($"s3://{bucket}/direct/{run.ExperimentId}/{run.RunId}/artifacts"));
            Assert.That(await MotoServer.Instance.KeysAsync(bucket), Is.EqualTo(new[] { $"direct/{run.ExperimentId}/{run.RunId}/artifacts/a.txt" }));
            Assert.That(listed.Select(f => f.Path), Is.EqualTo(new[] { "a.txt" }));
        });
    }

    [Test]
    public async Task A_server_with_an_s3_artifacts_destination_proxies_uploads_downloads_listings_and_deletes()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        using var temp = new TemporaryDirectory();
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions
        {
            BackendStoreUri = temp.Combine("mlruns"),
            ArtifactsDestination = $"s3://{bucket}/proxy",
            ServeUi = false,
            Port = 0,
        });
        var client = MlflowClient.Create(server.Uri.ToString().TrimEnd('/'));

        await using var run = await client.StartRunAsync("proxied");
        await run.LogTextAsync("docs/notes.txt", "through the proxy");
        var big = new byte[(11 * 1024 * 1024) + 5];
        new Random(5).NextBytes(big);
        await run.LogBytesAsync("data/big.bin", big);
        var (ml, model, data) = TrainModel();
        var modelUri = await run.LogMlnetModelAsync(ml, model, data.Schema);

        var prefix = $"proxy/{run.ExperimentId}/{run.RunId}/artifacts/";
        var keys = await MotoServer.Instance.KeysAsync(bucket);
        var top = await run.ListArtifactsAsync();
        var downloaded = await run.DownloadArtifactsAsync("data/big.bin", temp.Combine("out"));
        var loaded = await client.LoadMlnetModelAsync(modelUri);

        using var http = new HttpClient { BaseAddress = server.Uri };
        var deleted = await http.DeleteAsync($"api/2.0/mlflow-artifacts/artifacts/{run.ExperimentId}/{run.RunId}/artifacts/docs");
        using var bigAnswer = await http.GetAsync($"api/2.0/mlflow-artifacts/artifacts/{run.ExperimentId}/{run.RunId}/artifacts/data/big.bin", HttpCompletionOption.ResponseHeadersRead);
        var escape = await http.GetAsync("api/2.0/mlflow-artifacts/artifacts/..%2F..%2Fsecret");
        var encoded = await http.GetAsync("api/2.0/mlflow-artifacts/artifacts?path=a/%252e%252e/%252e%252e/x");
        var keysAfterDelete = await MotoServer.Instance.KeysAsync(bucket);

        Assert.Multiple(() =>
        {
            Assert.That(run.Info.ArtifactUri, Is.EqualTo($"mlflow-artifacts:/{run.ExperimentId}/{run.RunId}/artifacts"), "clients see the proxy, not the bucket");
            Assert.That(keys, Does.Contain(prefix + "docs/notes.txt").And.Contain(prefix + "data/big.bin").And.Contain(prefix + "model/MLmodel"));
            Assert.That(top.Select(f => (f.Path, f.IsDirectory)), Is.EqualTo(new[] { ("data", true), ("docs", true), ("model", true) }));
            Assert.That(File.ReadAllBytes(downloaded), Is.EqualTo(big), "an 11 MB artifact (a multipart upload behind the proxy) comes back whole");
            Assert.That(bigAnswer.Content.Headers.ContentLength, Is.EqualTo(big.Length), "the S3 object's size is passed on while its bytes stream");
            Assert.That(Scores(loaded.Predict(data)), Is.EqualTo(Scores(model.Transform(data))));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(keysAfterDelete, Has.None.StartsWith(prefix + "docs/"));
            Assert.That(keysAfterDelete, Does.Contain(prefix + "data/big.bin"));
            Assert.That(escape.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(encoded.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task A_server_whose_s3_destination_is_malformed_refuses_to_start()
    {
        using var temp = new TemporaryDirectory();
        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await using var server = await TrackingServer.StartAsync(new TrackingServerOptions
            {
                BackendStoreUri = temp.Combine("mlruns"),
                ArtifactsDestination = "s3://Not_A_Bucket/x",
                Port = 0,
            });
        });

        Assert.That(error!.Message, Does.StartWith("ArtifactsDestination 's3://Not_A_Bucket/x':").And.Contain("valid bucket name"));
    }

    private static (MLContext Ml, ITransformer Model, IDataView Data) TrainModel()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 40).Select(i => new Row { X = i, Y = (2f * i) + 1 }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Concatenate("Features", nameof(Row.X)).Append(ml.Regression.Trainers.Sdca(labelColumnName: nameof(Row.Y), maximumNumberOfIterations: 5)).Fit(data);
        return (ml, model, data);
    }

    private static float[] Scores(IDataView predictions) => predictions.GetColumn<float>("Score").ToArray();

    public sealed class Row
    {
        public float X { get; set; }

        public float Y { get; set; }
    }
}
