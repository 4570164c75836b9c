using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace MlWorkflow.Tracking.S3;

/// <summary>
/// The HTTP clients of an S3 client: set up as the SDK sets up its own (its redirect, proxy, connection and timeout settings, no
/// automatic decompression), with every attempt's failure and every retry logged, and certificates unchecked when
/// <c>MLFLOW_S3_IGNORE_TLS=true</c> (a self-signed MinIO), as MLflow's <c>verify=False</c>.
/// </summary>
internal sealed partial class S3HttpClientFactory(bool ignoreTls, ILogger logger) : HttpClientFactory
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5400:Ensure HttpClient certificate revocation list check is not disabled", Justification = "Only when the user turned TLS checks off (MLFLOW_S3_IGNORE_TLS).")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The HttpClient owns and disposes the handlers.")]
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var handler = new HttpClientHandler
        {
            // S3 answers some requests with redirects the SDK handles itself.
            AllowAutoRedirect = clientConfig.AllowAutoRedirect,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (clientConfig.MaxConnectionsPerServer is { } connections)
        {
            handler.MaxConnectionsPerServer = connections;
        }

        if (clientConfig.GetWebProxy() is { } proxy)
        {
            handler.Proxy = proxy;
            if (clientConfig.ProxyCredentials is { } credentials)
            {
                proxy.Credentials = credentials;
            }
        }

        if (ignoreTls)
        {
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        }

        var client = new HttpClient(new AttemptLogging(logger) { InnerHandler = handler }, disposeHandler: true);
        if (clientConfig.Timeout is { } timeout)
        {
            client.Timeout = timeout;
        }

        return client;
    }

    /// <summary>The attempt number the SDK sends in <c>amz-sdk-request: attempt=N; max=M</c>, or 1 when it sends none.</summary>
    internal static int AttemptOf(HttpRequestMessage request)
    {
        if (request.Headers.TryGetValues("amz-sdk-request", out var values))
        {
            foreach (var part in string.Join(';', values).Split(';', StringSplitOptions.TrimEntries))
            {
                if (part.StartsWith("attempt=", StringComparison.Ordinal) && int.TryParse(part.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
                {
                    return attempt;
                }
            }
        }

        return 1;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "S3 {Method} {Path} answered {Status} on attempt {Attempt}; the SDK retries it while attempts remain.")]
    private static partial void LogAttemptAnswered(ILogger logger, string method, string path, int status, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "S3 {Method} {Path} failed on attempt {Attempt}; the SDK retries it while attempts remain.")]
    private static partial void LogAttemptFailed(ILogger logger, string method, string path, int attempt, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "S3 {Method} {Path} succeeded on attempt {Attempt}.")]
    private static partial void LogRetrySucceeded(ILogger logger, string method, string path, int attempt);

    /// <summary>Logs each HTTP attempt that fails (a 5xx or 429 answer, or no answer) and each retry that succeeds.</summary>
    private sealed class AttemptLogging(ILogger logger) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var attempt = AttemptOf(request);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException error)
            {
                var path = PathOf(request);
                LogAttemptFailed(logger, request.Method.Method, path, attempt, error);
                throw;
            }

            var status = (int)response.StatusCode;
            var failed = status >= 500 || status == 429;
            if (failed || attempt > 1)
            {
                var path = PathOf(request);
                if (failed)
                {
                    LogAttemptAnswered(logger, request.Method.Method, path, status, attempt);
                }
                else
                {
                    LogRetrySucceeded(logger, request.Method.Method, path, attempt);
                }
            }

            return response;
        }

        // The path only: the query of a presigned or signed request carries credentials' signatures.
        private static string PathOf(HttpRequestMessage request) => S3Location.Excerpt(request.RequestUri?.AbsolutePath ?? string.Empty);
    }
}
