using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MlWorkflow.Tracking.Stores.Rest;

/// <summary>
/// Builds the Polly.Core pipeline every REST call goes through, replicating MLflow's client (MLflow's <c>MLFLOW_HTTP_REQUEST_*</c> environment variables, https://mlflow.org/docs/latest/python_api/mlflow.environment_variables.html):
/// an overall timeout, retries of connection failures, timeouts and HTTP 408/429/500/502/503/504 with exponential backoff
/// and jitter (a <c>Retry-After</c> header wins on 429 and 503), and a per-attempt timeout.
/// </summary>
internal static class RestRetryPolicy
{
    /// <summary>The statuses MLflow's client retries.</summary>
    public static bool IsRetryableStatus(HttpStatusCode status) => (int)status is 408 or 429 or 500 or 502 or 503 or 504;

    public static ResiliencePipeline<HttpResponseMessage> Create(RestStoreOptions options, Func<double>? random = null)
    {
        var sample = random ?? Random.Shared.NextDouble;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.TimeProvider };
        if (options.OverallTimeout is { } overall)
        {
            builder.AddTimeout(overall);
        }

        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayBefore(args.AttemptNumber, args.Outcome.Result, options, sample())),
                OnRetry = args =>
                {
                    // Users see each retry while it happens: reason and wait, in the log, the activity and a counter.
                    if (args.Context.Properties.TryGetValue(RestCallScope.Key, out var call))
                    {
                        call.OnRetry(args.AttemptNumber + 1, args.RetryDelay, args.Outcome);
                    }

                    // The failed answer is dropped: free its connection before the next attempt.
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        builder.AddTimeout(options.RequestTimeout);
        return builder.Build();
    }

    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => outcome.Result is { } response && IsRetryableStatus(response.StatusCode),
        HttpRequestException e when RestTransport.IsCertificateRejection(e) => false,
        HttpRequestException or TimeoutRejectedException or IOException => true,
        _ => false,
    };

    /// <summary>
    /// The delay before a retry. <paramref name="attemptNumber"/> counts from 0 (the first retry): the first retry is
    /// immediate; retry n ≥ 2 waits <c>min(max, factor × 2^(n−1) + U[0, jitter))</c>, as urllib3 2 does for MLflow;
    /// a <c>Retry-After</c> on 429 or 503 replaces it.
    /// </summary>
    public static TimeSpan DelayBefore(int attemptNumber, HttpResponseMessage? response, RestStoreOptions options, double jitterSample)
    {
        if (options.RespectRetryAfter && response is not null && (int)response.StatusCode is 429 or 503 or 413
            && RetryAfter(response, options.TimeProvider) is { } retryAfter)
        {
            return retryAfter;
        }

        return Backoff(attemptNumber, options.BackoffFactor, options.BackoffJitter, options.MaxBackoff, jitterSample);
    }

    public static TimeSpan Backoff(int attemptNumber, TimeSpan factor, TimeSpan jitter, TimeSpan max, double jitterSample)
    {
        if (attemptNumber <= 0)
        {
            return TimeSpan.Zero;
        }

        var seconds = (factor.TotalSeconds * Math.Pow(2, attemptNumber)) + (jitter.TotalSeconds * Math.Clamp(jitterSample, 0, 1));
        return TimeSpan.FromSeconds(Math.Min(max.TotalSeconds, seconds));
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
