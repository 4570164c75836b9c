using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlWorkflow.Models;
using MlWorkflow.Serving.Diagnostics;
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
    private CancellationTokenSource? _stopping;
    private Task? _following;

    public ModelLoader(IOptions<MlflowModelOptions> options, ServedModelHolder holder, ILoggerFactory loggers)
    {
        _options = options.Value;
        _holder = holder;
        _logger = loggers.CreateLogger(ServingDiagnostics.LogCategory);
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
            var served = await LoadAsync(client, uri, _options.UseTreeEvaluator, cancellationToken).ConfigureAwait(false);
            _holder.Current = served;
            var version = served.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
            var task = served.Scoring.Task.ToString();
            var inputs = string.Join(", ", served.Scoring.InputNames);
            ServingLog.ModelLoaded(_logger, uri, version, served.RunId ?? "-", task, inputs, served.Scoring.UsesTreeEvaluator ? "the flat tree evaluator" : "ML.NET", watch.ElapsedMilliseconds);
            if (IsMovingReference(uri) && _options.RegistryPollInterval > TimeSpan.Zero)
            {
                _stopping = new CancellationTokenSource();
                _following = FollowAsync(client, uri, _options.RegistryPollInterval, _stopping.Token);
            }
        }

        catch (Exception error) when (error is not OperationCanceledException)
        {
            ServingLog.ModelLoadFailed(_logger, error, uri);
            throw;
        }
    }

    /// <summary>Loads a model; a <c>models:/</c> URI is resolved first and its version loaded, so the version reported is the one loaded.</summary>
    internal static async Task<ServedModel> LoadAsync(MlflowClient client, string uri, bool useTreeEvaluator, CancellationToken cancellationToken)
    {
        if (ModelUri.IsModelsUri(uri))
        {
            var version = await client.Registry.GetModelVersionAsync(uri, cancellationToken).ConfigureAwait(false);
            return await LoadVersionAsync(client, uri, version, useTreeEvaluator, cancellationToken).ConfigureAwait(false);
        }

        var loaded = await client.LoadMlnetModelAsync(uri, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ServedModel(new ScoringModel(loaded, useTreeEvaluator), uri, null, null, loaded.Metadata.RunId);
    }

    /// <summary>Loads one registry version, pinned by number, served under the URI asked for.</summary>
    private static async Task<ServedModel> LoadVersionAsync(MlflowClient client, string uri, ModelVersion version, bool useTreeEvaluator, CancellationToken cancellationToken)
    {
        var model = await client.LoadMlnetModelAsync($"models:/{version.Name}/{version.Version}", cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ServedModel(new ScoringModel(model, useTreeEvaluator), uri, version.Name, version.Version, string.IsNullOrEmpty(version.RunId) ? null : version.RunId);
    }

    /// <summary>A stage, alias or <c>latest</c>: a registry reference that can move to another version.</summary>
    private static bool IsMovingReference(string uri) =>
        ModelUri.IsModelsUri(uri) && ModelUri.Parse(uri).Kind is ModelUriKind.ModelStage or ModelUriKind.ModelAlias or ModelUriKind.LatestModelVersion;

    /// <summary>Looks the reference up every interval and swaps in the version it names when that changes.</summary>
    private async Task FollowAsync(MlflowClient client, string uri, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var current = _holder.Current;
                try
                {
                    var version = await client.Registry.GetModelVersionAsync(uri, cancellationToken).ConfigureAwait(false);
                    if (current is not null && version.Version == current.Version && version.Name == current.RegisteredModelName)
                    {
                        continue;
                    }

                    var watch = Stopwatch.StartNew();
                    var next = await LoadVersionAsync(client, uri, version, _options.UseTreeEvaluator, cancellationToken).ConfigureAwait(false);

                    // One reference write: a request that already read the old model finishes on it; the next reads the new one.
                    _holder.Current = next;
                    ServingDiagnostics.Swaps.Add(1);
                    ServingLog.ModelSwapped(_logger, uri, current?.VersionText ?? "-", next.VersionText, watch.ElapsedMilliseconds);
                }
                catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    ServingLog.FollowFailed(_logger, error, uri, current?.VersionText ?? "-");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _following is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _following.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stopping?.Dispose();
        _ownedClient?.Dispose();
        _ownedClient = null;
    }
}
