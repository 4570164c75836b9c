using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.Diagnostics;
using Polly;

namespace MlWorkflow.Tracking.Stores.Rest;

/// <summary>
/// One REST call with all its retries: counts attempts, measures the time spent, and reports each retry (log line,
/// activity event, counter) while it happens.
/// </summary>
internal sealed class RestCallScope : IDisposable
{
    /// <summary>The key under which the retry strategy finds the call it retries.</summary>
    public static readonly ResiliencePropertyKey<RestCallScope> Key = new("MlWorkflow.Tracking.RestCall");

    private readonly RestTransport _transport;
    private readonly long _started;
    private string _outcome = "error";

    public RestCallScope(RestTransport transport, string what)
    {
        _transport = transport;
        What = what;
        _started = transport.Options.TimeProvider.GetTimestamp();
        Activity = MlflowDiagnostics.ActivitySource.StartActivity(MlflowDiagnostics.RestActivityName, ActivityKind.Client);
        if (Activity is not null)
        {
            Activity.DisplayName = what;
            Activity.SetTag("server.address", transport.BaseUri.Host);
            Activity.SetTag("server.port", transport.BaseUri.Port);
            Activity.SetTag("mlflow.endpoint", what);
        }
    }

    /// <summary>What the call is, such as <c>runs/log-batch</c>.</summary>
    public string What { get; }

    public Activity? Activity { get; }

    /// <summary>Attempts sent so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>Time since the call started.</summary>
    public TimeSpan Elapsed => _transport.Options.TimeProvider.GetElapsedTime(_started);

    public string ElapsedSeconds => Elapsed.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture);

    /// <summary>Counts an attempt about to be sent; the first one names the activity after its method (<c>GET experiments/get</c>).</summary>
    public void Sending(HttpRequestMessage request)
    {
        if (++Attempts == 1 && Activity is not null)
        {
            Activity.DisplayName = $"{request.Method.Method} {What}";
            Activity.SetTag("http.request.method", request.Method.Method);
            Activity.SetTag("url.full", request.RequestUri is { } uri ? _transport.Redact(uri.GetLeftPart(UriPartial.Path)) : _transport.Url(string.Empty));
        }
    }

    /// <summary>Reports a retry about to wait <paramref name="delay"/>.</summary>
    public void OnRetry(int retryNumber, TimeSpan delay, Outcome<HttpResponseMessage> outcome)
    {
        var reason = Reason(outcome);
        var wait = delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        RestLog.Retrying(_transport.Logger, What, _transport.Url(string.Empty), reason, retryNumber, _transport.Options.MaxRetries, wait);
        MlflowDiagnostics.RestRetries.Add(1, new KeyValuePair<string, object?>("mlflow.endpoint", What), new KeyValuePair<string, object?>("mlflow.retry.reason", ReasonKind(outcome)));
        Activity?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["mlflow.retry.number"] = retryNumber,
            ["mlflow.retry.reason"] = reason,
            ["mlflow.retry.delay_s"] = delay.TotalSeconds,
        }));
    }

    /// <summary>Records the answer's status.</summary>
    public void Answered(HttpResponseMessage response)
    {
        _outcome = response.IsSuccessStatusCode ? "success" : "http_error";
        Activity?.SetTag("http.response.status_code", (int)response.StatusCode);
        if (!response.IsSuccessStatusCode)
        {
            Activity?.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>Records a call that gave up, with a log line.</summary>
    public void Failed(string reason)
    {
        _outcome = "error";
        Activity?.SetStatus(ActivityStatusCode.Error, reason);
        RestLog.GaveUp(_transport.Logger, What, _transport.Url(string.Empty), Attempts, ElapsedSeconds, reason);
    }

    public void Dispose()
    {
        var tags = new TagList { { "mlflow.endpoint", What }, { "mlflow.outcome", _outcome } };
        MlflowDiagnostics.RestRequests.Add(1, tags);
        MlflowDiagnostics.RestDuration.Record(Elapsed.TotalSeconds, tags);
        Activity?.SetTag("mlflow.retries", Math.Max(0, Attempts - 1));
        Activity?.Dispose();
    }

    private string Reason(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null when outcome.Result is { } response => $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}",
        Polly.Timeout.TimeoutRejectedException => $"no answer within {_transport.Options.RequestTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s",
        { } error => _transport.Redact(error.Message),
        _ => "unknown",
    };

    private static string ReasonKind(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null when outcome.Result is { } response => ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
        Polly.Timeout.TimeoutRejectedException => "timeout",
        HttpRequestException => "connection",
        _ => "other",
    };
}
