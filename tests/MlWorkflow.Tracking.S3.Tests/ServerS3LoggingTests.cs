using System.Net;
using Microsoft.Extensions.Logging;
using MlWorkflow.Server;

namespace MlWorkflow.Tracking.S3.Tests;

/// <summary>A server's S3 calls log to the server's own logger factory (the repositories it creates get it), as its other work does.</summary>
public sealed class ServerS3LoggingTests
{
    [Test]
    public async Task A_server_logs_an_s3_failure_of_its_artifact_proxy_through_its_logger_factory()
    {
        using var temp = new TemporaryDirectory();
        var logs = new CollectingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions
        {
            BackendStoreUri = temp.Combine("mlruns"),
            ArtifactsDestination = "s3://mlw-no-such-bucket/proxy",
            ServeUi = false,
            Port = 0,
            LoggerFactory = loggers,
        });
        using var http = new HttpClient { BaseAddress = server.Uri };

        using var answer = await http.PutAsync("api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a.txt", new ByteArrayContent("hello"u8.ToArray()));

        var s3 = logs.Lines.Where(r => r.Category == typeof(S3ArtifactRepository).FullName).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(s3.Select(r => (r.Level, r.Message)), Has.Some.EqualTo((LogLevel.Warning, "S3 upload of s3://mlw-no-such-bucket/proxy / 1/abc/artifacts/a.txt failed.")));
            Assert.That(s3.First(r => r.Level == LogLevel.Warning).Exception, Is.Not.Null, "the SDK's own error goes with the record");
        });
    }

    [Test]
    public async Task A_server_logs_uploads_to_a_local_destination_through_its_logger_factory()
    {
        using var temp = new TemporaryDirectory();
        var logs = new CollectingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions
        {
            BackendStoreUri = temp.Combine("mlruns"),
            ArtifactsDestination = temp.Combine("artifacts"),
            ServeUi = false,
            Port = 0,
            LoggerFactory = loggers,
        });
        using var http = new HttpClient { BaseAddress = server.Uri };

        using var answer = await http.PutAsync("api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a.txt", new ByteArrayContent("hello"u8.ToArray()));

        var local = logs.Lines.Where(r => r.Category == typeof(Artifacts.LocalArtifactRepository).FullName).ToList();
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(local.Select(r => r.Level), Does.Contain(LogLevel.Debug));
        Assert.That(local.Select(r => r.Message), Has.Some.StartsWith("Wrote 5 bytes to ").And.Contains(" / 1/abc/artifacts/a.txt in "));
    }

    [Test]
    public async Task A_factory_with_a_logger_factory_gives_it_to_the_s3_repositories_it_finds_by_name()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        var logs = new CollectingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var repository = new Artifacts.ArtifactRepositoryFactory(loggers).Create($"s3://{bucket}/found");

        await repository.WriteAsync("a.txt", new MemoryStream("hello"u8.ToArray()));
        await using (var read = await repository.OpenReadAsync("a.txt"))
        {
            await read.CopyToAsync(Stream.Null);
        }

        using var downloads = new TemporaryDirectory();
        await repository.DownloadAsync("a.txt", downloads.Path);
        var messages = logs.Lines.Where(r => r.Category == typeof(S3ArtifactRepository).FullName).Select(r => r.Message).ToList();
        Assert.That(messages, Has.Some.StartsWith($"Uploaded 5 bytes to s3://{bucket}/found / a.txt in 1 part(s)"));
        Assert.That(messages.Count(m => m.StartsWith($"Downloaded 5 bytes from s3://{bucket}/found / a.txt in ", StringComparison.Ordinal)), Is.EqualTo(2), "a streamed read is logged when it is closed, and a file download once");
    }
}
