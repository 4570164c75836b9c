using System.Net;
using System.Net.Http.Headers;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Rest;

/// <summary>MLflow's backoff schedule and <c>Retry-After</c> (MLflow's <c>MLFLOW_HTTP_REQUEST_*</c> environment variables, https://mlflow.org/docs/latest/python_api/mlflow.environment_variables.html).</summary>
[TestFixture]
public sealed class RestRetryPolicyTests
{
    /// <summary>A clock stopped at one instant.</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [TestCase(0, 0.0, 0.0)]
    [TestCase(0, 0.9, 0.0)]
    [TestCase(1, 0.0, 4.0)]
    [TestCase(2, 0.5, 8.5)]
    [TestCase(3, 0.0, 16.0)]
    [TestCase(5, 0.0, 64.0)]
    [TestCase(6, 0.99, 120.0)]
    public void Backoff_is_immediate_first_then_factor_times_powers_of_two_plus_jitter_capped(int attemptNumber, double jitterSample, double expectedSeconds)
    {
        var delay = RestRetryPolicy.Backoff(attemptNumber, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120), jitterSample);

        Assert.That(delay.TotalSeconds, Is.EqualTo(expectedSeconds).Within(1e-9));
    }

    [TestCase(HttpStatusCode.TooManyRequests)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    public void Retry_after_in_seconds_replaces_the_backoff_on_429_and_503(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        var delay = RestRetryPolicy.DelayBefore(2, response, new RestStoreOptions(), 0.5);

        Assert.That(delay, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [Test]
    public void Retry_after_as_a_date_waits_until_then_on_the_injected_clock()
    {
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(30));

        var delay = RestRetryPolicy.DelayBefore(0, response, new RestStoreOptions { TimeProvider = new StoppedClock(now) }, 0);

        Assert.That(delay, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void Retry_after_is_ignored_when_turned_off_and_on_a_500()
    {
        using var tooMany = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        tooMany.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        using var serverError = new HttpResponseMessage(HttpStatusCode.InternalServerError);
        serverError.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        var off = RestRetryPolicy.DelayBefore(1, tooMany, new RestStoreOptions { RespectRetryAfter = false }, 0);
        var onServerError = RestRetryPolicy.DelayBefore(1, serverError, new RestStoreOptions(), 0);

        Assert.That(off, Is.EqualTo(TimeSpan.FromSeconds(4)));
        Assert.That(onServerError, Is.EqualTo(TimeSpan.FromSeconds(4)));
    }

    [TestCase(408, true)]
    [TestCase(429, true)]
    [TestCase(500, true)]
    [TestCase(502, true)]
    [TestCase(503, true)]
    [TestCase(504, true)]
    [TestCase(400, false)]
    [TestCase(401, false)]
    [TestCase(403, false)]
    [TestCase(404, false)]
    [TestCase(501, false)]
    public void Retried_statuses_are_mlflow_s(int status, bool retried)
    {
        Assert.That(RestRetryPolicy.IsRetryableStatus((HttpStatusCode)status), Is.EqualTo(retried));
    }
}
