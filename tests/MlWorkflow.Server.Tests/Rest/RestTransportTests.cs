using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Rest;

/// <summary>The REST store against scripted answers of a real server on 127.0.0.1: retries, error mapping and authentication.</summary>
[TestFixture]
public sealed class RestTransportTests
{
    private TemporaryDirectory _directory = null!;
    private TrackingServer? _server;
    private int _requests;
    private string? _lastAuthorization;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = new TemporaryDirectory();
        _requests = 0;
        _lastAuthorization = null;
    }

    [TearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _directory.Dispose();
    }

    /// <summary>Starts a server whose API answers <paramref name="status"/> with <paramref name="body"/> (null: the real handlers).</summary>
    private async Task<Uri> ServeAsync(int? status, string? body = null, string contentType = "application/json")
    {
        _server = await TrackingServer.StartAsync(new TrackingServerOptions
        {
            BackendStoreUri = _directory.Combine("mlruns"),
            Port = 0,
            ConfigurePipeline = app => app.Use(async (HttpContext context, RequestDelegate next) =>
            {
                Interlocked.Increment(ref _requests);
                _lastAuthorization = context.Request.Headers.Authorization;
                if (status is null)
                {
                    await next(context);
                    return;
                }

                context.Response.StatusCode = status.Value;
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body ?? string.Empty, Encoding.UTF8);
            }),
        });
        return _server.Uri;
    }

    [TestCase(400, "{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"bad\"}", ErrorCode.InvalidParameterValue)]
    [TestCase(403, "{\"error_code\": \"PERMISSION_DENIED\", \"message\": \"no\"}", ErrorCode.PermissionDenied)]
    [TestCase(404, "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"gone\"}", ErrorCode.ResourceDoesNotExist)]
    public async Task Client_errors_are_not_retried_and_keep_the_server_s_code_and_message(int status, string body, ErrorCode expected)
    {
        using var store = new RestTrackingStore(await ServeAsync(status, body), FastRetries.Options(maxRetries: 3));

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync("1"));

        Assert.That(error!.ErrorCode, Is.EqualTo(expected));
        Assert.That(error.Message, Does.StartWith(expected.ToWireName() + ": "));
        Assert.That(_requests, Is.EqualTo(1));
    }

    [Test]
    public async Task Server_errors_are_retried_up_to_the_budget_then_reported_with_the_server_s_code()
    {
        using var store = new RestTrackingStore(await ServeAsync(503, "{\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"busy\"}"), FastRetries.Options(maxRetries: 3));

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.LogBatchAsync("0123456789abcdef0123456789abcdef", [new Metric("m", 1, 1)], [], []));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.TemporarilyUnavailable));
        Assert.That(error.Message, Does.Contain("busy").And.Contain("after 4 attempts"));
        Assert.That(_requests, Is.EqualTo(4));
    }

    [TestCase(404, "<html>Not Found</html>", ErrorCode.EndpointNotFound)]
    [TestCase(401, "Unauthorized", ErrorCode.Unauthenticated)]
    [TestCase(409, "", ErrorCode.AlreadyExists)]
    [TestCase(418, "teapot", ErrorCode.InternalError)]
    public async Task Non_json_error_bodies_map_from_the_http_status(int status, string body, ErrorCode expected)
    {
        using var store = new RestTrackingStore(await ServeAsync(status, body, "text/html"), FastRetries.Options(maxRetries: 0));

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetRunAsync("0123456789abcdef0123456789abcdef"));

        Assert.That(error!.ErrorCode, Is.EqualTo(expected));
        Assert.That(error.Message, Does.Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task Numeric_error_code_is_read_as_an_http_status()
    {
        using var store = new RestTrackingStore(await ServeAsync(400, "{\"error_code\": 403, \"message\": \"nope\"}"), FastRetries.Options(maxRetries: 0));

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetRunAsync("0123456789abcdef0123456789abcdef"));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.PermissionDenied));
    }

    [Test]
    public async Task A_200_that_is_not_a_json_object_is_an_error()
    {
        using var store = new RestTrackingStore(await ServeAsync(200, "<html>login page</html>", "text/html"), FastRetries.Options(maxRetries: 0));

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync("0"));

        Assert.That(error!.Message, Does.Contain("not a JSON object"));
    }

    [Test]
    public async Task Basic_credentials_win_over_the_token_and_never_show_in_errors()
    {
        var uri = await ServeAsync(401, "{\"error_code\": \"UNAUTHENTICATED\", \"message\": \"who are you\"}");
        using var store = new RestTrackingStore(uri, new RestStoreOptions { Username = "bob", Password = "hunter2", Token = "tok-123", MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync("0"));

        Assert.That(_lastAuthorization, Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:hunter2"))));
        Assert.That(error!.ToString(), Does.Not.Contain("hunter2").And.Not.Contain("tok-123"));
        Assert.That(store.ToString(), Does.Not.Contain("hunter2"));
    }

    [Test]
    public async Task Bearer_token_is_sent_when_there_is_no_password()
    {
        using var store = new RestTrackingStore(await ServeAsync(null), new RestStoreOptions { Token = "tok-123" });

        await store.GetExperimentAsync("0");

        Assert.That(_lastAuthorization, Is.EqualTo("Bearer tok-123"));
    }

    [Test]
    public async Task Credentials_in_the_tracking_uri_are_neither_sent_nor_shown()
    {
        var uri = await ServeAsync(null);
        using var store = new RestTrackingStore(new UriBuilder(uri) { UserName = "eve", Password = "leaked" }.Uri, new RestStoreOptions());

        var experiment = await store.GetExperimentAsync("0");

        Assert.That(experiment.Name, Is.EqualTo("Default"));
        Assert.That(_lastAuthorization, Is.Null.Or.Empty);
        Assert.That(store.ToString(), Does.Not.Contain("leaked"));
    }

    [Test]
    public void A_non_http_tracking_uri_is_refused()
    {
        var error = Assert.Throws<MlflowException>(() => new RestTrackingStore(new Uri("file:///tmp/mlruns"), new RestStoreOptions()));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }
}
