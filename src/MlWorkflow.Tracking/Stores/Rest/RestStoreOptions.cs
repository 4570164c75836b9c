using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MlWorkflow.Tracking.Stores.Rest;

/// <summary>
/// Transport settings of <see cref="RestTrackingStore"/>: credentials, TLS, retries with exponential backoff and
/// jitter, and timeouts. <see cref="FromEnvironment()"/> reads MLflow's own <c>MLFLOW_*</c> variables.
/// </summary>
/// <remarks>
/// Secrets (<see cref="Token"/>, <see cref="Password"/>) never appear in <see cref="ToString"/>, logs or exception
/// messages. Every property is validated when set and throws <see cref="ArgumentOutOfRangeException"/> for a value
/// out of range.
/// </remarks>
public sealed class RestStoreOptions
{
    /// <summary>The most retries MLflow allows (<c>MLFLOW_HTTP_REQUEST_MAX_RETRIES</c> must be below 10).</summary>
    public const int MaxRetriesLimit = 9;

    private int _maxRetries = 5;
    private TimeSpan _backoffFactor = TimeSpan.FromSeconds(2);
    private TimeSpan _backoffJitter = TimeSpan.FromSeconds(1);
    private TimeSpan _maxBackoff = TimeSpan.FromSeconds(120);
    private TimeSpan _requestTimeout = TimeSpan.FromSeconds(120);
    private TimeSpan? _overallTimeout = TimeSpan.FromMinutes(15);
    private TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>
    /// How many times a failed request is retried (connection failures, timeouts, HTTP 408, 429, 500, 502, 503, 504),
    /// 0 to 9 (<c>MLFLOW_HTTP_REQUEST_MAX_RETRIES</c>). The default value is 5, MLflow 2.19's.
    /// </summary>
    public int MaxRetries
    {
        get => _maxRetries;
        set => _maxRetries = value is >= 0 and <= MaxRetriesLimit ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxRetries must be between 0 and {MaxRetriesLimit}.");
    }

    /// <summary>
    /// The exponential backoff factor, 0 to under 120 seconds (<c>MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR</c>): the first retry is
    /// immediate, retry <em>n</em> ≥ 2 waits <c>factor × 2^(n−1)</c> plus jitter, capped at <see cref="MaxBackoff"/>.
    /// The default value is 2 seconds.
    /// </summary>
    public TimeSpan BackoffFactor
    {
        get => _backoffFactor;
        set => _backoffFactor = value >= TimeSpan.Zero && value < TimeSpan.FromSeconds(120) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "BackoffFactor must be at least 0 and under 120 seconds.");
    }

    /// <summary>The upper bound of the random jitter added to each backoff after the first retry (<c>MLFLOW_HTTP_REQUEST_BACKOFF_JITTER</c>). The default value is 1 second.</summary>
    public TimeSpan BackoffJitter
    {
        get => _backoffJitter;
        set => _backoffJitter = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "BackoffJitter must not be negative.");
    }

    /// <summary>The longest computed backoff (a <c>Retry-After</c> from the server is not capped by it). The default value is 120 seconds.</summary>
    public TimeSpan MaxBackoff
    {
        get => _maxBackoff;
        set => _maxBackoff = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxBackoff must not be negative.");
    }

    /// <summary>The timeout of each attempt, connect and read (<c>MLFLOW_HTTP_REQUEST_TIMEOUT</c>); an attempt that takes longer is retried. The default value is 120 seconds.</summary>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout;
        set => _requestTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "RequestTimeout must be positive.");
    }

    /// <summary>The timeout of a whole call, every attempt and backoff included; null for none. The default value is 15 minutes.</summary>
    public TimeSpan? OverallTimeout
    {
        get => _overallTimeout;
        set => _overallTimeout = value is null || value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "OverallTimeout must be positive or null.");
    }

    /// <summary>Whether a <c>Retry-After</c> header on a 429 or 503 answer replaces the computed backoff (<c>MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER</c>). The default value is true.</summary>
    public bool RespectRetryAfter { get; set; } = true;

    /// <summary>
    /// Whether each write call carries an <c>Idempotency-Key</c> header that stays the same across its retries, so that
    /// MlWorkflow's server answers a replay of a request it already applied without applying it twice. MLflow's own
    /// server ignores the header: against it a retried <c>log-batch</c> whose first answer was lost may be applied twice
    /// (at least once). The default value is true.
    /// </summary>
    public bool SendIdempotencyKeys { get; set; } = true;

    /// <summary>A bearer token sent as <c>Authorization: Bearer …</c> when no user name and password are set (<c>MLFLOW_TRACKING_TOKEN</c>). The default value is null.</summary>
    public string? Token { get; set; }

    /// <summary>The user name of HTTP basic authentication; used with <see cref="Password"/> (<c>MLFLOW_TRACKING_USERNAME</c>). The default value is null.</summary>
    public string? Username { get; set; }

    /// <summary>The password of HTTP basic authentication (<c>MLFLOW_TRACKING_PASSWORD</c>). The default value is null.</summary>
    public string? Password { get; set; }

    /// <summary>Skips TLS certificate verification; cannot be combined with <see cref="ServerCertPath"/> (<c>MLFLOW_TRACKING_INSECURE_TLS</c>). Ignored when the caller supplies the <see cref="HttpClient"/>. The default value is false.</summary>
    public bool InsecureTls { get; set; }

    /// <summary>
    /// A PEM bundle of the CA certificates that verify the server (<c>MLFLOW_TRACKING_SERVER_CERT_PATH</c>): it replaces the
    /// system's trust store, so the server's chain must end at one of them, and the certificate must still name the host of the
    /// tracking URI. Cannot be combined with <see cref="InsecureTls"/>. Ignored when the caller supplies the <see cref="HttpClient"/>.
    /// The default value is null (the system's trust store).
    /// </summary>
    public string? ServerCertPath { get; set; }

    /// <summary>The <c>User-Agent</c> header. The default value is <c>mlworkflow-dotnet-client/&lt;version&gt;</c>.</summary>
    public string UserAgent { get; set; } = "mlworkflow-dotnet-client/" + (typeof(RestStoreOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>
    /// Where REST calls log (category <c>MlWorkflow.Tracking.Rest</c>): a warning per retry with its reason and wait, an error
    /// when a call gives up. The default value is null: warnings and errors go to stderr, as Python's logging shows MLflow's
    /// retry warnings (pass <c>NullLoggerFactory.Instance</c> for silence). Activities and metrics are reported regardless
    /// (see <see cref="Diagnostics.MlflowDiagnostics"/>).
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock of backoff delays and timeouts (tests pass a fake one). The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        set => _timeProvider = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Whether requests carry HTTP basic credentials (a user name and a password are both set).</summary>
    public bool UsesBasicAuth => !string.IsNullOrEmpty(Username) && Password is not null;

    /// <summary>A copy of every setting (callers' options are never changed).</summary>
    internal RestStoreOptions Clone() => (RestStoreOptions)MemberwiseClone();

    /// <summary>Reads MLflow's client variables from the process environment.</summary>
    /// <returns>The options.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when a variable holds an invalid value.</exception>
    public static RestStoreOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Reads MLflow's client variables through a lookup (tests pass a dictionary).</summary>
    /// <param name="getVariable">Returns a variable's value, or null when it is unset.</param>
    /// <returns>The options.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when a variable holds an invalid value.</exception>
    public static RestStoreOptions FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var options = new RestStoreOptions
        {
            Token = NullIfEmpty(getVariable("MLFLOW_TRACKING_TOKEN")),
            Username = NullIfEmpty(getVariable("MLFLOW_TRACKING_USERNAME")),
            Password = NullIfEmpty(getVariable("MLFLOW_TRACKING_PASSWORD")),
            ServerCertPath = NullIfEmpty(getVariable("MLFLOW_TRACKING_SERVER_CERT_PATH")),
        };
        Apply(getVariable, "MLFLOW_TRACKING_INSECURE_TLS", ParseBool, v => options.InsecureTls = v);
        Apply(getVariable, "MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER", ParseBool, v => options.RespectRetryAfter = v);
        Apply(getVariable, "MLFLOW_HTTP_REQUEST_MAX_RETRIES", ParseInt, v => options.MaxRetries = v);
        Apply(getVariable, "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", ParseInt, v => options.BackoffFactor = TimeSpan.FromSeconds(v));
        Apply(getVariable, "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", ParseDouble, v => options.BackoffJitter = TimeSpan.FromSeconds(v));
        Apply(getVariable, "MLFLOW_HTTP_REQUEST_TIMEOUT", ParseInt, v => options.RequestTimeout = TimeSpan.FromSeconds(v));
        options.Validate();
        return options;
    }

    /// <summary>Checks the settings that depend on each other.</summary>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when <see cref="InsecureTls"/> and <see cref="ServerCertPath"/> are both set.</exception>
    public void Validate()
    {
        if (InsecureTls && ServerCertPath is not null)
        {
            throw MlflowException.InvalidParameter("MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH cannot both be set: either skip certificate verification or verify against the CA bundle.");
        }
    }

    /// <summary>Describes the settings, with every secret redacted.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder("RestStoreOptions { ");
        text.Append(CultureInfo.InvariantCulture, $"MaxRetries = {MaxRetries}, BackoffFactor = {BackoffFactor}, BackoffJitter = {BackoffJitter}, ");
        text.Append(CultureInfo.InvariantCulture, $"RequestTimeout = {RequestTimeout}, OverallTimeout = {OverallTimeout?.ToString() ?? "none"}, RespectRetryAfter = {RespectRetryAfter}, ");
        text.Append(CultureInfo.InvariantCulture, $"Auth = {(UsesBasicAuth ? "basic (user '" + Username + "', password ***)" : Token is not null ? "bearer ***" : "none")}, ");
        text.Append(CultureInfo.InvariantCulture, $"InsecureTls = {InsecureTls}, ServerCertPath = {ServerCertPath ?? "none"} }}");
        return text.ToString();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static void Apply<T>(Func<string, string?> getVariable, string name, Func<string, string, T> parse, Action<T> set)
    {
        var text = getVariable(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        var value = parse(name, text.Trim());
        try
        {
            set(value);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw MlflowException.InvalidParameter($"Invalid value '{text}' of {name}: {e.Message.Split(Environment.NewLine)[0]}");
        }
    }

    private static bool ParseBool(string name, string text) => text.ToUpperInvariant() switch
    {
        "TRUE" or "1" => true,
        "FALSE" or "0" => false,
        _ => throw MlflowException.InvalidParameter($"Invalid value '{text}' of {name}: expected true, false, 1 or 0."),
    };

    private static int ParseInt(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw MlflowException.InvalidParameter($"Invalid value '{text}' of {name}: expected an integer.");

    private static double ParseDouble(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw MlflowException.InvalidParameter($"Invalid value '{text}' of {name}: expected a number of seconds.");
}
