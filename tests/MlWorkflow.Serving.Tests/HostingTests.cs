using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking;

namespace MlWorkflow.Serving.Tests;

/// <summary>Models by every kind of URI, the server's limits and token, and the endpoints mounted in a user's app (issue 13 points 2 and 6).</summary>
public sealed class HostingTests
{
    private const string Row = """{"dataframe_records": [{"displ": 1.8, "cyl": 4, "trans": "manual", "drv": "f"}]}""";

    [TestCase("models:/Cars/Production")]
    [TestCase("models:/Cars@champion")]
    [TestCase("models:/Cars/1")]
    [TestCase("runs")]
    [TestCase("folder")]
    public async Task Any_mlnet_model_URI_is_served(string uri)
    {
        var modelUri = uri switch
        {
            "runs" => ServedModels.RegressionRunUri,
            "folder" => ServedModels.RegressionFolder,
            _ => uri,
        };
        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = modelUri, TrackingUri = ServedModels.StorePath, Port = 0 });
        using var http = new HttpClient { BaseAddress = server.Uri };
        var predictions = await Http.PredictionsAsync(http, Row);
        var expected = ServedModels.Regression.Predict<GeneratedData.CarInput, GeneratedData.ScorePrediction>([new GeneratedData.CarInput { displ = 1.8f, cyl = 4, trans = "manual", drv = "f" }]);
        Assert.Multiple(() =>
        {
            Assert.That(Http.Numbers(predictions), Is.EqualTo(new[] { (double)expected[0].Score }).Within(1e-5));
            Assert.That(server.ModelVersion, uri.StartsWith("models:", StringComparison.Ordinal) ? Is.EqualTo(1) : Is.Null);
        });
    }

    [Test]
    public async Task A_model_that_does_not_exist_stops_the_start_with_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => ModelServer.StartAsync(new ModelServerOptions { ModelUri = "models:/NoSuchModel/Production", TrackingUri = ServedModels.StorePath, Port = 0 }));
        Assert.That(error!.Message, Does.Contain("NoSuchModel"));
    }

    [Test]
    public async Task A_body_over_the_limit_gets_a_413()
    {
        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = ServedModels.RegressionFolder, Port = 0, MaxRequestBodyBytes = 1024 });
        using var http = new HttpClient { BaseAddress = server.Uri };
        var rows = string.Join(", ", Enumerable.Repeat("""{"displ": 1.8, "cyl": 4, "trans": "manual", "drv": "f"}""", 40));
        var (code, message) = await Http.ErrorAsync(http, $$"""{"dataframe_records": [{{rows}}]}""", HttpStatusCode.RequestEntityTooLarge);
        var small = await Http.PredictionsAsync(http, Row);

        // Without Content-Length (chunked), the limit holds while the body is read.
        using var chunked = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($$"""{"dataframe_records": [{{rows}}]}""")));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "invocations") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var chunkedAnswer = await http.SendAsync(request);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("BAD_REQUEST"));
            Assert.That(message, Does.Contain("1,024 bytes").And.Contain("MaxRequestBodyBytes"));
            Assert.That(small.GetArrayLength(), Is.EqualTo(1), "a body under the limit is scored");
            Assert.That(chunkedAnswer.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        });
    }

    [Test]
    public async Task A_request_that_runs_past_the_timeout_gets_MLflows_504_and_the_server_keeps_serving()
    {
        // 200,000 rows take hundreds of milliseconds to read, parse and score: far past a 1 ms limit.
        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = ServedModels.RegressionFolder, Port = 0, MaxRequestBodyBytes = 64L * 1024 * 1024, RequestTimeout = TimeSpan.FromMilliseconds(1) });
        using var http = new HttpClient { BaseAddress = server.Uri };
        var csv = new System.Text.StringBuilder("displ,cyl,trans,drv\n");
        for (var i = 0; i < 200_000; i++)
        {
            csv.Append(i % 2 == 0 ? "1.8,4,manual,f\n" : "5.7,8,auto,4\n");
        }

        var (code, message) = await Http.ErrorAsync(http, csv.ToString(), HttpStatusCode.GatewayTimeout, "text/csv");
        using var ping = await http.GetAsync(new Uri("ping", UriKind.Relative));
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("DEADLINE_EXCEEDED"));
            Assert.That(message, Does.Contain("exceeded the limit of 0.001 s").And.Contain("RequestTimeout"));
            Assert.That(ping.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public void The_timeout_defaults_to_MLflows_60_seconds_and_must_be_positive()
    {
        Assert.That(new MlflowModelOptions().RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(new MlflowModelOptions { RequestTimeout = Timeout.InfiniteTimeSpan }.RequestTimeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MlflowModelOptions { RequestTimeout = TimeSpan.Zero });
    }

    [Test]
    public void The_limit_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ModelServerOptions { MaxRequestBodyBytes = 0 });

    [Test]
    public async Task A_bearer_token_guards_everything_but_the_health_checks()
    {
        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = ServedModels.RegressionFolder, Port = 0, BearerToken = "s3cret" });
        using var http = new HttpClient { BaseAddress = server.Uri };
        var (without, _, _) = await Http.JsonAsync(http, Row);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        var (wrong, _, _) = await Http.JsonAsync(http, Row);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        var (right, _, _) = await Http.JsonAsync(http, Row);
        using var anonymous = new HttpClient { BaseAddress = server.Uri };
        using var ping = await anonymous.GetAsync(new Uri("ping", UriKind.Relative));
        using var version = await anonymous.GetAsync(new Uri("version", UriKind.Relative));
        Assert.Multiple(() =>
        {
            Assert.That(without, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(wrong, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(right, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ping.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(version.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task The_server_listens_on_loopback_by_default_and_logs_the_model_it_serves()
    {
        var options = new ModelServerOptions { ModelUri = "models:/Cars@champion", TrackingUri = ServedModels.StorePath, Port = 0 };
        var logs = new CollectingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        options.LoggerFactory = loggers;
        await using var server = await ModelServer.StartAsync(options);
        Assert.Multiple(() =>
        {
            Assert.That(options.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(server.Uri.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(logs.Messages, Has.Some.Contains("Serving model models:/Cars@champion (version 1").And.Some.Contains("displ, cyl, trans, drv"));
        });
    }

    [Test]
    public async Task The_endpoints_mount_in_a_users_app_under_a_prefix()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddMlflowModel(o =>
        {
            o.ModelUri = "models:/Cars/Production";
            o.Client = ServedModels.Client;
        });
        await using var app = builder.Build();
        app.MapMlflowScoring("/models/cars");
        app.MapGet("/", () => "the user's own endpoint");
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address + "/models/cars/") };
            var predictions = await Http.PredictionsAsync(http, Row);
            using var version = JsonDocument.Parse(await http.GetStringAsync(new Uri("version", UriKind.Relative)));
            using var own = new HttpClient { BaseAddress = new Uri(address) };
            Assert.Multiple(async () =>
            {
                Assert.That(predictions.GetArrayLength(), Is.EqualTo(1));
                Assert.That(version.RootElement.GetProperty("model_version").GetString(), Is.EqualTo("1"));
                Assert.That(await own.GetStringAsync(new Uri("/", UriKind.Relative)), Is.EqualTo("the user's own endpoint"));
            });
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Test]
    public void Mapping_the_endpoints_without_a_model_says_what_to_call()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        using var app = (IDisposable)builder.Build();
        var error = Assert.Throws<InvalidOperationException>(() => ((WebApplication)app).MapMlflowScoring());
        Assert.That(error!.Message, Does.Contain("AddMlflowModel"));
    }

    [Test]
    public async Task Requests_rows_and_status_codes_are_measured()
    {
        var requests = new ConcurrentBag<(long Value, int Status)>();
        long rows = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Diagnostics.ServingDiagnostics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "mlworkflow.serving.requests")
            {
                var status = 0;
                foreach (var tag in tags)
                {
                    if (tag.Key == "http.response.status_code")
                    {
                        status = (int)tag.Value!;
                    }
                }

                requests.Add((value, status));
            }
            else if (instrument.Name == "mlworkflow.serving.rows")
            {
                Interlocked.Add(ref rows, value);
            }
        });
        listener.Start();

        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = ServedModels.RegressionFolder, Port = 0 });
        using var http = new HttpClient { BaseAddress = server.Uri };
        await Http.PredictionsAsync(http, Row);
        await Http.ErrorAsync(http, "{", HttpStatusCode.BadRequest);

        // Other servers in parallel tests report too: look for at least this server's measurements.
        Assert.Multiple(() =>
        {
            Assert.That(requests.Where(r => r.Status == 200), Is.Not.Empty);
            Assert.That(requests.Where(r => r.Status == 400), Is.Not.Empty);
            Assert.That(Interlocked.Read(ref rows), Is.GreaterThanOrEqualTo(1));
        });
    }
}
