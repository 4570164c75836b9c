using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MlWorkflow.Tracking.S3.Tests;

/// <summary>
/// S3 requests the SDK retries are logged: each failed attempt, and the retry that succeeded. The endpoint is a real HTTP server on
/// 127.0.0.1 that answers S3's <c>503 SlowDown</c> before a listing (moto cannot be told to fail once).
/// </summary>
public sealed class S3RetryLoggingTests
{
    private const string SlowDown = """<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>""";

    private const string EmptyListing = """<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>mlw-retry</Name><Prefix>p/</Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated></ListBucketResult>""";

    [Test]
    public async Task A_request_answered_503_then_retried_logs_the_failed_attempt_and_the_retry_that_succeeded()
    {
        var requests = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var endpoint = builder.Build();
        endpoint.Run(async context =>
        {
            var first = Interlocked.Increment(ref requests) == 1;
            context.Response.StatusCode = first ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(first ? SlowDown : EmptyListing);
        });
        await endpoint.StartAsync();
        var logs = new CollectingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var repository = new S3ArtifactRepository("s3://mlw-retry/p", new S3ArtifactRepositoryOptions
        {
            EndpointUrl = endpoint.Urls.Single(),
            AccessKeyId = "retry-key",
            SecretAccessKey = "retry-secret",
            UseInstanceCredentials = false,
            LoggerFactory = loggers,
        });

        var listed = await repository.ListAsync();

        var records = logs.Lines.Where(r => r.Category == typeof(S3ArtifactRepository).FullName).Select(r => (r.Level, r.Message)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(listed, Is.Empty);
            Assert.That(requests, Is.EqualTo(2), "the SDK retried the 503 once");
            Assert.That(records, Does.Contain((LogLevel.Warning, "S3 GET /mlw-retry/ answered 503 on attempt 1; the SDK retries it while attempts remain.")));
            Assert.That(records, Does.Contain((LogLevel.Information, "S3 GET /mlw-retry/ succeeded on attempt 2.")));
        });
    }

    [TestCase("attempt=3; max=5", 3)]
    [TestCase("max=5; attempt=2", 2)]
    [TestCase("nonsense", 1)]
    public void The_attempt_is_read_from_the_sdks_request_header(string header, int attempt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/b/k");
        request.Headers.TryAddWithoutValidation("amz-sdk-request", header);

        Assert.That(S3HttpClientFactory.AttemptOf(request), Is.EqualTo(attempt));
    }
}
