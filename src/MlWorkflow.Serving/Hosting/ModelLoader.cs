using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlWorkflow.Models;
using MlWorkflow.Serving.Scoring;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Serving.Hosting;

/// <summary>Loads the configured model when the host starts; a model that cannot be loaded stops the start, as MLflow's worker never serves one.</summary>
internal sealed class ModelLoader : IHostedService, IDisposable
{
    private readonly MlflowModelOptions _options;
    private readonly ServedModelHolder _holder;
    private readonly ILogger _logger;
    private MlflowClient? _ownedClient;

    public ModelLoader(IOptions<MlflowModelOptions> options, ServedModelHolder holder, ILoggerFactory loggers)
    {
        _options = options.Value;
        _holder = holder;
        _logger = loggers.CreateLogger("MlWorkflow.Serving");
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var uri = _options.ModelUri;
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw new InvalidOperationException("No model to serve: set MlflowModelOptions.ModelUri (for example models:/Name/Production, runs:/<run id>/model or a model folder).");
        }

        ServingLog.ModelLoading(_logger, uri);
        var watch = Stopwatch.StartNew();
        try
        {
            var client = _options.Client ?? (_ownedClient = MlflowClient.Create(_options.TrackingUri));
            var served = await LoadAsync(client, uri, cancellationToken).ConfigureAwait(false);
            _holder.Current = served;
            var version = served.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
            var task = served.Scoring.Task.ToString();
            var inputs = string.Join(", ", served.Scoring.InputNames);
            ServingLog.ModelLoaded(_logger, uri, version, served.RunId ?? "-", task, inputs, watch.ElapsedMilliseconds);
        }

        catch (Exception error) when (error is not OperationCanceledException)
        {
            ServingLog.ModelLoadFailed(_logger, error, uri);
            throw;
        }
    }

    /// <summary>Loads a model; a <c>models:/</c> URI is resolved first and its version loaded, so the version reported is the one loaded.</summary>
    internal static async Task<ServedModel> LoadAsync(MlflowClient client, string uri, CancellationToken cancellationToken)
    {
        if (ModelUri.IsModelsUri(uri))
        {
            var version = await client.Registry.GetModelVersionAsync(uri, cancellationToken).ConfigureAwait(false);
            var pinned = $"models:/{version.Name}/{version.Version}";
            var model = await client.LoadMlnetModelAsync(pinned, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ServedModel(new ScoringModel(model), uri, version.Name, version.Version, string.IsNullOrEmpty(version.RunId) ? null : version.RunId);
        }

        var loaded = await client.LoadMlnetModelAsync(uri, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ServedModel(new ScoringModel(loaded), uri, null, null, loaded.Metadata.RunId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _ownedClient?.Dispose();
        _ownedClient = null;
    }
}
