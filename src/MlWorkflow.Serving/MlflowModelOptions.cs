using MlWorkflow.Tracking;

namespace MlWorkflow.Serving;

/// <summary>Which model the scoring endpoints serve, and their limits. Used by <see cref="MlflowModelServiceCollectionExtensions.AddMlflowModel"/> and <see cref="ModelServer"/>.</summary>
public class MlflowModelOptions
{
    /// <summary>The default largest request body, 16 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 16L * 1024 * 1024;

    /// <summary>The default request timeout, 60 seconds: MLflow's scoring server's (<c>MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT</c>).</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(60);

    private long _maxRequestBodyBytes = DefaultMaxRequestBodyBytes;
    private TimeSpan _requestTimeout = DefaultRequestTimeout;
    private TimeSpan _registryPollInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The model to serve: <c>models:/Name/Production</c>, <c>models:/Name@alias</c>, <c>models:/Name/3</c>,
    /// <c>runs:/&lt;run id&gt;/model</c>, a <c>file:</c> URI or a local model folder. It must be an ML.NET model in MLflow's
    /// format (flavor <c>mlnet</c>). A <c>models:/</c> URI naming a stage, an alias or <c>latest</c> is followed: see
    /// <see cref="RegistryPollInterval"/>.
    /// The default value is empty: it must be set.
    /// </summary>
    public string ModelUri { get; set; } = string.Empty;

    /// <summary>
    /// The tracking store that resolves <c>runs:/</c> and <c>models:/</c> URIs: a local folder (<c>./mlruns</c>) or an
    /// MLflow server's <c>http(s)://</c> URI. Ignored when <see cref="Client"/> is set. The default value is null:
    /// <c>MLFLOW_TRACKING_URI</c>, else <c>./mlruns</c>.
    /// </summary>
    public string? TrackingUri { get; set; }

    /// <summary>A tracking client to resolve model URIs with; the caller keeps ownership. The default value is null (one is created from <see cref="TrackingUri"/>).</summary>
    public MlflowClient? Client { get; set; }

    /// <summary>
    /// The largest <c>/invocations</c> body accepted, in bytes; a larger one gets a 413 with MLflow's JSON error body.
    /// The default value is <see cref="DefaultMaxRequestBodyBytes"/> (16 MiB, some 100,000 rows of ten numbers).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaxRequestBodyBytes
    {
        get => _maxRequestBodyBytes;
        set => _maxRequestBodyBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The request body limit must be positive.");
    }

    /// <summary>
    /// How often a model given by stage, alias or <c>latest</c> (<c>models:/Name/Production</c>, <c>models:/Name@champion</c>)
    /// is looked up again in the registry. When it names another version, that version is loaded and swapped in at once:
    /// requests in flight finish on the old model, later ones get the new one, and <c>/version</c> says which answers. A
    /// rollback in the registry reaches the server within one interval. A version that cannot be loaded is logged and the
    /// old one keeps serving. <see cref="TimeSpan.Zero"/> turns following off. The default value is 30 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan RegistryPollInterval
    {
        get => _registryPollInterval;
        set => _registryPollInterval = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The registry poll interval cannot be negative.");
    }

    /// <summary>
    /// How long one <c>/invocations</c> call may take, from reading its body to the last prediction; a call that takes
    /// longer is stopped and answered 504 with MLflow's JSON error body (<c>DEADLINE_EXCEEDED</c>), as MLflow 3.x's scoring
    /// server answers (2.x's gunicorn drops the connection instead). <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// See https://mlflow.org/docs/latest/deployment/deploy-model-locally.html. The default value is <see cref="DefaultRequestTimeout"/> (60 seconds).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (and not infinite).</exception>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout;
        set => _requestTimeout = value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The request timeout must be positive, or Timeout.InfiniteTimeSpan for none.");
    }

    /// <summary>
    /// Whether a tree-ensemble regression (FastTree, FastForest, LightGBM) is evaluated by the server's own flat tree
    /// evaluator, which gives ML.NET's predictions (to float rounding) several times faster; every other model is
    /// evaluated by ML.NET whatever this says. Set false to use ML.NET's own evaluation for every model. The default value is true.
    /// </summary>
    public bool UseTreeEvaluator { get; set; } = true;
}
