using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.Diagnostics;
using MlWorkflow.Tracking.Protocol;
using Polly;
using Polly.Timeout;

namespace MlWorkflow.Tracking.Stores.Rest;

/// <summary>
/// The HTTP plumbing shared by the REST stores and the <c>mlflow-artifacts</c> repository: URLs under the tracking URI,
/// authentication headers, the retry pipeline, idempotency keys and MLflow's error mapping (error responses in MLflow's REST API documentation, https://mlflow.org/docs/latest/rest-api.html).
/// </summary>
internal sealed class RestTransport : IDisposable
{
    /// <summary>The header that identifies one logical write across its retries.</summary>
    public const string IdempotencyKeyHeader = MlflowHeaders.IdempotencyKey;

    private const int MaxErrorBodyChars = 500;
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly string _baseUrl;
    private readonly string[] _secrets;
    private volatile bool _disposed;

    public RestTransport(Uri trackingUri, RestStoreOptions options, HttpClient? httpClient)
    {
        ArgumentNullException.ThrowIfNull(trackingUri);
        ArgumentNullException.ThrowIfNull(options);
        if (!trackingUri.IsAbsoluteUri || (trackingUri.Scheme != Uri.UriSchemeHttp && trackingUri.Scheme != Uri.UriSchemeHttps))
        {
            throw MlflowException.InvalidParameter($"A REST tracking URI must be an absolute http or https URI; got '{Describe(trackingUri)}'.");
        }

        options.Validate();
        Options = options;

        // Credentials in the URI are never used nor shown: the base URL keeps scheme, host, port and path only.
        var builder = new UriBuilder(trackingUri) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty };
        _baseUrl = builder.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        BaseUri = new Uri(_baseUrl);
        _authorization = options.UsesBasicAuth
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + options.Password)))
            : options.Token is { Length: > 0 } token ? new AuthenticationHeaderValue("Bearer", token) : null;
        _secrets = Secrets(options, trackingUri);
        Logger = options.LoggerFactory?.CreateLogger(MlflowDiagnostics.RestLogCategory) ?? StandardErrorLogger.Instance;
        _pipeline = RestRetryPolicy.Create(options);
        _ownsHttpClient = httpClient is null;
        _http = httpClient ?? CreateHttpClient(options);
    }

    /// <summary>The tracking URI without credentials, query or trailing slash.</summary>
    public Uri BaseUri { get; }

    public RestStoreOptions Options { get; }

    /// <summary>The logger of REST calls (category <c>MlWorkflow.Tracking.Rest</c>).</summary>
    public ILogger Logger { get; }

    /// <summary>Text without this transport's credentials, nor any credential-shaped value.</summary>
    public string Redact(string? text) => SecretRedactor.Redact(text, _secrets);

    /// <summary>A URI safe to show in messages: no user name or password.</summary>
    public static string Describe(Uri uri) => SecretRedactor.RedactUri(uri.OriginalString);

    public string Url(string pathUnderBase) => _baseUrl + pathUnderBase;

    public Task<TResponse> PostAsync<TRequest, TResponse>(string endpoint, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class =>
        SendBodyAsync(HttpMethod.Post, endpoint, body, requestType, responseType, cancellationToken);

    /// <summary>Sends a JSON body with POST, PATCH or DELETE (MLflow's registry reads DELETE parameters from a body), with an idempotency key its retries repeat.</summary>
    public Task<TResponse> SendBodyAsync<TRequest, TResponse>(HttpMethod method, string endpoint, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        var key = Options.SendIdempotencyKeys ? Guid.NewGuid().ToString("N") : null;
        var url = Url("/api/2.0/mlflow/" + endpoint);
        return SendJsonAsync(
            endpoint,
            () =>
            {
                var request = new HttpRequestMessage(method, url) { Content = new ByteArrayContent(payload) };
                request.Content.Headers.ContentType = JsonMediaType;
                if (key is not null)
                {
                    request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, key);
                }

                return request;
            },
            responseType,
            cancellationToken);
    }

    public Task<TResponse> GetAsync<TResponse>(string endpoint, IEnumerable<KeyValuePair<string, string?>> query, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        var url = Url("/api/2.0/mlflow/" + endpoint) + QueryString(query);
        return SendJsonAsync(endpoint, () => new HttpRequestMessage(HttpMethod.Get, url), responseType, cancellationToken);
    }

    /// <summary>Encodes GET parameters as MLflow's client does: repeated keys for lists, nulls left out.</summary>
    public static string QueryString(IEnumerable<KeyValuePair<string, string?>> query)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            text.Append(text.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return text.ToString();
    }

    /// <summary>Sends a request through the retry pipeline; answers with a success status, or throws <see cref="MlflowException"/>.</summary>
    /// <param name="what">What the call is, for messages (such as <c>runs/log-batch</c>).</param>
    /// <param name="createRequest">Creates a fresh request for each attempt.</param>
    /// <param name="completion">When the send completes; <see cref="HttpCompletionOption.ResponseHeadersRead"/> for streamed downloads.</param>
    /// <param name="retry">False for a request whose body cannot be sent twice.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<HttpResponseMessage> SendAsync(string what, Func<HttpRequestMessage> createRequest, HttpCompletionOption completion, bool retry, CancellationToken cancellationToken)
    {
        // A disposed store refuses calls even when the HttpClient it used belongs to someone else and still works.
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var call = new RestCallScope(this, what);
        HttpResponseMessage response;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RestCallScope.Key, call);
        try
        {
            async ValueTask<HttpResponseMessage> Attempt(ResilienceContext attemptContext)
            {
                using var request = createRequest();
                call.Sending(request);
                request.Headers.UserAgent.TryParseAdd(Options.UserAgent);
                request.Headers.Authorization = _authorization;
                return await _http.SendAsync(request, completion, attemptContext.CancellationToken).ConfigureAwait(false);
            }

            response = retry
                ? await _pipeline.ExecuteAsync(Attempt, context).ConfigureAwait(false)
                : await Attempt(context).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(call, ErrorCode.DeadlineExceeded, "timed out", $" (per-attempt timeout {Seconds(Options.RequestTimeout)} s, overall timeout {(Options.OverallTimeout is { } overall ? Seconds(overall) : "none")} s)", e);
        }
        catch (HttpRequestException e) when (IsCertificateRejection(e) && !cancellationToken.IsCancellationRequested)
        {
            var reason = (e.InnerException is System.Security.Authentication.AuthenticationException tls ? tls.Message : e.Message).TrimEnd('.', ' ') + ".";
            var remedy = Options.InsecureTls
                ? string.Empty
                : Options.ServerCertPath is { } bundle
                    ? $" The certificate must chain to a CA in MLFLOW_TRACKING_SERVER_CERT_PATH='{bundle}' and name the host {BaseUri.Host}."
                    : " To trust a private CA, set RestStoreOptions.ServerCertPath (MLFLOW_TRACKING_SERVER_CERT_PATH) to its PEM bundle; RestStoreOptions.InsecureTls (MLFLOW_TRACKING_INSECURE_TLS) skips verification.";
            call.Failed(Redact(reason));
            throw new MlflowException(ErrorCode.Unauthenticated, Redact($"API request to {Url(string.Empty)} ({what}) failed: TLS certificate validation of the server failed: {reason}{remedy}"), e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw Failure(call, ErrorCode.TemporarilyUnavailable, "failed", ": " + e.Message.TrimEnd('.') + ".", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Only a caller-supplied HttpClient's own Timeout gets here.
            throw Failure(call, ErrorCode.DeadlineExceeded, "timed out", " (the HttpClient's own Timeout).", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        call.Answered(response);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var error = await ToExceptionAsync(response, what, call.Attempts, this, cancellationToken).ConfigureAwait(false);
            if (retry && RestRetryPolicy.IsRetryableStatus(response.StatusCode))
            {
                // The retry budget is spent: say how long it took and how to change it.
                call.Failed(error.Message);
                return ThrowWithAdvice(error, call);
            }

            throw error;
        }
    }

    /// <summary>How the retry budget is set, for messages of calls that gave up.</summary>
    public string RetryAdvice() =>
        $"Retries and timeouts are set by MLFLOW_HTTP_REQUEST_MAX_RETRIES (now {Options.MaxRetries}), MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR (now {Seconds(Options.BackoffFactor)} s), " +
        $"MLFLOW_HTTP_REQUEST_BACKOFF_JITTER (now {Seconds(Options.BackoffJitter)} s) and MLFLOW_HTTP_REQUEST_TIMEOUT (now {Seconds(Options.RequestTimeout)} s per attempt), " +
        $"or the same RestStoreOptions properties (OverallTimeout, now {(Options.OverallTimeout is { } overall ? Seconds(overall) + " s" : "none")}, bounds the whole call).";

    private MlflowException Failure(RestCallScope call, ErrorCode code, string verb, string detail, Exception cause)
    {
        call.Failed(Redact(verb + detail));
        var text = $"API request to {Url(string.Empty)} ({call.What}) {verb} after {Plural(call.Attempts, "attempt")} over {call.ElapsedSeconds} s{detail}";
        return new MlflowException(code, Redact(text.TrimEnd('.') + ". " + RetryAdvice()), cause);
    }

    private HttpResponseMessage ThrowWithAdvice(MlflowException error, RestCallScope call) =>
        throw new MlflowException(error.ErrorCode, $"{error.Message.TrimEnd()} The call gave up after {Plural(call.Attempts, "attempt")} over {call.ElapsedSeconds} s. {RetryAdvice()}", error.InnerException);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string[] Secrets(RestStoreOptions options, Uri uri)
    {
        var secrets = new List<string>();
        if (options.Token is { Length: > 0 } token)
        {
            secrets.Add(token);
        }

        if (options.Password is { Length: > 0 } password)
        {
            secrets.Add(password);
            secrets.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + password)));
        }

        if (uri.IsAbsoluteUri && uri.UserInfo.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            secrets.Add(Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
        }

        return [.. secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    public void Dispose()
    {
        _disposed = true;
        if (_ownsHttpClient)
        {
            _http.Dispose();
        }
    }

    /// <summary>Turns a non-2xx answer into an exception as MLflow's client does (error responses in MLflow's REST API documentation, https://mlflow.org/docs/latest/rest-api.html).</summary>
    internal static async Task<MlflowException> ToExceptionAsync(HttpResponseMessage response, string what, int attempts, RestTransport? transport, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var retried = attempts > 1 ? $" (after {Plural(attempts, "attempt")})" : string.Empty;

        // A proxy may reflect the request's headers in its answer: nothing of the credentials may reach the message.
        string Clean(string text) => transport is null ? SecretRedactor.Redact(text) : transport.Redact(text);
        if (TryParseError(body) is { } error)
        {
            var code = error.ErrorCode is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? ErrorCodes.FromHttpStatus(number)
                : ErrorCodes.FromWireName(error.ErrorCode);
            var message = error.Message is { Length: > MaxErrorBodyChars } longMessage ? longMessage[..MaxErrorBodyChars] + "…" : error.Message;
            return new MlflowException(code, Clean($"{code.ToWireName()}: {message}{retried}"));
        }

        var fallback = ErrorCodes.FromHttpStatus(status);
        var excerpt = body.Length > MaxErrorBodyChars ? body[..MaxErrorBodyChars] + "…" : body;
        return new MlflowException(fallback, Clean($"API request {what} failed with HTTP {status} {response.ReasonPhrase}{retried}. Response body: '{excerpt.Trim()}'"));
    }

    private static ErrorMessage? TryParseError(string body)
    {
        var trimmed = body.AsSpan().TrimStart();
        if (trimmed.Length == 0 || trimmed[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, RestJsonContext.Default.ErrorMessage);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<TResponse> SendJsonAsync<TResponse>(string endpoint, Func<HttpRequestMessage> createRequest, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        using var response = await SendAsync(endpoint, createRequest, HttpCompletionOption.ResponseContentRead, retry: true, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        ReadOnlySpan<byte> span = bytes.AsSpan().Trim(" \t\r\n"u8);
        if (span.SequenceEqual("200 OK"u8))
        {
            span = "{}"u8;
        }

        if (span.Length == 0 || span[0] != (byte)'{')
        {
            throw new MlflowException(ErrorCode.InternalError, $"API request {endpoint} to {Url(string.Empty)} answered HTTP 200 with a body that is not a JSON object; is the tracking URI an MLflow server?");
        }

        try
        {
            return JsonSerializer.Deserialize(span, responseType) ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            throw new MlflowException(ErrorCode.InternalError, $"API request {endpoint} to {Url(string.Empty)} answered with JSON that does not match MLflow's response: {e.Message}", e);
        }
    }

    private static HttpClient CreateHttpClient(RestStoreOptions options) =>
        new(CreateHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The handler of the HTTP clients this library creates (also the primary handler of <c>AddMlflow</c>'s named client): pooling, decompression, TLS options.</summary>
    internal static SocketsHttpHandler CreateHandler(RestStoreOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            ConnectTimeout = options.RequestTimeout,
        };
        if (options.InsecureTls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (options.ServerCertPath is { } bundlePath)
        {
            // The bundle replaces the system's trust store (as requests' verify=<path> does for MLflow's client): the chain must
            // end at one of its certificates, and SslStream still checks the host name against the certificate.
            var roots = LoadCaBundle(bundlePath);
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(roots);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }

    private static X509Certificate2Collection LoadCaBundle(string bundlePath)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(bundlePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw MlflowException.InvalidParameter($"Cannot read the CA bundle MLFLOW_TRACKING_SERVER_CERT_PATH='{bundlePath}': {e.Message}");
        }

        return roots.Count > 0
            ? roots
            : throw MlflowException.InvalidParameter($"The CA bundle MLFLOW_TRACKING_SERVER_CERT_PATH='{bundlePath}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
    }

    /// <summary>Whether a send failed because the TLS handshake rejected the server's certificate (never worth a retry).</summary>
    internal static bool IsCertificateRejection(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
