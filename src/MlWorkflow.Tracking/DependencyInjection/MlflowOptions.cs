using MlWorkflow.Tracking.Logging;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Tracking.DependencyInjection;

/// <summary>The settings of the <see cref="MlflowClient"/> that <c>services.AddMlflow(...)</c> registers (bound through <c>IOptions&lt;MlflowOptions&gt;</c>).</summary>
public sealed class MlflowOptions
{
    /// <summary>The name of the <see cref="HttpClient"/> the registered client sends with (configure it further with <c>services.AddHttpClient(MlflowOptions.HttpClientName)</c>).</summary>
    public const string HttpClientName = "MlWorkflow.Tracking";

    /// <summary>The tracking URI (<c>http(s)://host:port</c>, a <c>file:</c> URI or a folder). The default value is null: <c>MLFLOW_TRACKING_URI</c>, else <c>./mlruns</c>.</summary>
    public string? TrackingUri { get; set; }

    /// <summary>Credentials, TLS, retries and timeouts of REST calls. The default value is null: MLflow's <c>MLFLOW_*</c> environment variables.</summary>
    public RestStoreOptions? Rest { get; set; }

    /// <summary>How active runs queue and batch their data. The default value is a new <see cref="BatchedLoggingOptions"/>.</summary>
    public BatchedLoggingOptions Logging { get; set; } = new();
}
