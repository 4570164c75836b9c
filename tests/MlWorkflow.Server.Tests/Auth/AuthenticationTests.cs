using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using MlWorkflow.Server.Auth;

namespace MlWorkflow.Server.Tests.Auth;

/// <summary>Logins: MLflow's 401 for missing or wrong credentials, open health checks, bearer tokens, throttled failures logged without the password.</summary>
[TestFixture]
public sealed class AuthenticationTests : AuthServerFixture
{
    private readonly ManualClock _clock = new();
    private CollectingLoggerProvider _logs = null!;
    private ILoggerFactory _loggers = null!;

    protected override void Configure(TrackingServerOptions options)
    {
        _logs = new CollectingLoggerProvider();
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        options.LoggerFactory = _loggers;
        options.TimeProvider = _clock;
        options.Auth!.BearerTokens["token-of-bob-0123456789"] = "bob";
        options.Auth.BearerTokens["token-of-nobody-987654321"] = "nobody";
    }

    [TearDown]
    public void DisposeLoggers()
    {
        _loggers.Dispose();
        _logs.Dispose();
    }

    [TestCase("/api/2.0/mlflow/experiments/search?max_results=10")]
    [TestCase("/")]
    [TestCase("/version")]
    [TestCase("/get-artifact?path=a&run_uuid=x")]
    [TestCase("/no/such/route")]
    public async Task Without_credentials_a_call_is_401_with_mlflow_s_challenge_and_text(string path)
    {
        var (status, body, response) = await SendAsync(Anonymous, "GET", path);

        Assert.That(status, Is.EqualTo(401));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Basic realm=\"mlflow\""));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/html; charset=utf-8"));
        Assert.That(body, Is.EqualTo(AuthMiddleware.UnauthenticatedMessage));
    }

    [TestCase("/health")]
    [TestCase("/static/app.js")]
    public async Task Health_and_the_ui_s_assets_need_no_credentials(string path)
    {
        var (status, _, _) = await SendAsync(Anonymous, "GET", path);

        Assert.That(status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_wrong_password_or_an_unknown_user_is_401_and_the_right_one_passes()
    {
        await CreateUserAsync("bob");

        var (wrong, _, _) = await SendAsync(As("bob", "not-bobs"), "GET", "/api/2.0/mlflow/experiments/search?max_results=10");
        var (unknown, _, _) = await SendAsync(As("nobody", "x"), "GET", "/api/2.0/mlflow/experiments/search?max_results=10");
        var (right, _, _) = await SendAsync(As("bob"), "GET", "/api/2.0/mlflow/experiments/search?max_results=10");
        var (again, _, _) = await SendAsync(As("bob"), "GET", "/api/2.0/mlflow/experiments/search?max_results=10");

        Assert.That(wrong, Is.EqualTo(401));
        Assert.That(unknown, Is.EqualTo(401));
        Assert.That(right, Is.EqualTo(200));
        Assert.That(again, Is.EqualTo(200), "the second call is answered from the verified-password cache");
    }

    [Test]
    public async Task Failed_logins_are_logged_without_the_password_then_throttled_with_429_and_retry_after()
    {
        await CreateUserAsync("bob");
        long failures = 0, throttled = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "MlWorkflow.Server" && instrument.Name == "mlw.server.logins")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome" && (string?)tag.Value == "failure")
                {
                    Interlocked.Add(ref failures, value);
                }
                else if (tag.Key == "outcome" && (string?)tag.Value == "throttled")
                {
                    Interlocked.Add(ref throttled, value);
                }
            }
        });
        listener.Start();

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await SendAsync(As("bob", "secret-guess-" + i), "GET", "/version")).Status);
        }

        var (blocked, _, response) = await SendAsync(As("bob"), "GET", "/version");
        var (otherUser, _, _) = await SendAsync(As(AdminName), "GET", "/version");
        _clock.Advance(TimeSpan.FromSeconds(2));
        var (afterWait, _, _) = await SendAsync(As("bob"), "GET", "/version");

        Assert.That(statuses, Is.All.EqualTo(401));
        Assert.That(blocked, Is.EqualTo(429), "even the right password waits once the pair is throttled");
        Assert.That(response.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(otherUser, Is.EqualTo(200), "only that user name from that address waits");
        Assert.That(afterWait, Is.EqualTo(200));
        var lines = _logs.Lines.Select(l => l.Message).ToList();
        Assert.That(lines.Count(l => l.Contains("Failed login for user 'bob'", StringComparison.Ordinal)), Is.EqualTo(5));
        Assert.That(lines, Has.Some.Contains("refused for 1 s"));
        Assert.That(lines, Has.None.Contains("secret-guess"), "no password reaches the logs");
        Assert.That(Interlocked.Read(ref failures), Is.GreaterThanOrEqualTo(5));
        Assert.That(Interlocked.Read(ref throttled), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task A_bearer_token_acts_as_its_user_and_an_unknown_one_is_401()
    {
        await CreateUserAsync("bob");
        using var bearer = new HttpClient { BaseAddress = Server.Uri };
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "token-of-bob-0123456789");
        using var wrong = new HttpClient { BaseAddress = Server.Uri };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "token-of-bob-0123456788");
        using var orphan = new HttpClient { BaseAddress = Server.Uri };
        orphan.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "token-of-nobody-987654321");

        var (self, body, _) = await SendAsync(bearer, "GET", "/api/2.0/mlflow/users/get?username=bob");
        var (other, _, _) = await SendAsync(bearer, "GET", "/api/2.0/mlflow/users/get?username=admin");
        var (bad, _, _) = await SendAsync(wrong, "GET", "/version");
        var (noUser, _, _) = await SendAsync(orphan, "GET", "/version");

        Assert.That(self, Is.EqualTo(200), body);
        Assert.That(body, Does.Contain("\"username\":\"bob\""));
        Assert.That(other, Is.EqualTo(403));
        Assert.That(bad, Is.EqualTo(401));
        Assert.That(noUser, Is.EqualTo(401), "a token whose user does not exist grants nothing");
        Assert.That(_logs.Lines.Select(l => l.Message), Has.None.Contains("token-of-bob"));
    }

    [Test]
    public async Task Malformed_basic_credentials_are_401_not_500()
    {
        using var client = new HttpClient { BaseAddress = Server.Uri };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "%%%not-base64");
        using var noColon = new HttpClient { BaseAddress = Server.Uri };
        noColon.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin")));

        Assert.That((await SendAsync(client, "GET", "/version")).Status, Is.EqualTo(401));
        Assert.That((await SendAsync(noColon, "GET", "/version")).Status, Is.EqualTo(401));
    }
}
