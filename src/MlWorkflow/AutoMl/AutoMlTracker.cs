using System.Globalization;
using System.Text;
using Microsoft.ML;
using MlWorkflow.Autologging;
using MlWorkflow.Exploration;
using MlWorkflow.Models;
using MlWorkflow.Training;
using MlWorkflow.Tracking;

namespace MlWorkflow.AutoMl;

/// <summary>
/// Records a search as Databricks AutoML does: one parent run (the search: its settings, then the best params, the final
/// model's test metrics, the model, the leaderboard and the featurisation notes) and one nested run per trial (tag
/// <c>mlflow.parentRunId</c>; its params and validation metrics, prefixed <c>val_</c>).
/// </summary>
internal sealed class AutoMlTracker : IAsyncDisposable
{
    /// <summary>The leaderboard artifact of the parent run.</summary>
    public const string LeaderboardFile = "leaderboard.csv";

    private readonly AutoMlOptions _options;
    private readonly ActiveRun _parent;

    private AutoMlTracker(AutoMlOptions options, ActiveRun parent)
    {
        _options = options;
        _parent = parent;
    }

    public static async Task<AutoMlTracker> StartAsync(AutoMlOptions options, WorkflowDefinition definition, LearningTask task, string metric, CancellationToken cancellationToken)
    {
        var client = options.TrackingClient!;
        var experiment = await client.GetOrCreateExperimentAsync(options.ExperimentName!, cancellationToken).ConfigureAwait(false);
        var tags = new Dictionary<string, string>
        {
            ["mlflow.autologging"] = MlflowWorkflowObserver.AutologgingFlavor,
            ["mlworkflow.automl"] = "parent",
        };
        var parent = await client.StartRunAsync(experiment, options.RunName, tags, "AutoML search: one nested run per trial.", cancellationToken: cancellationToken).ConfigureAwait(false);
        parent.LogParams(new Dictionary<string, string>
        {
            ["automl_task"] = TrainerSpec.TaskName(task),
            ["automl_label"] = definition.Label!,
            ["automl_metric"] = metric,
            ["automl_budget_s"] = options.EffectiveBudget is { } b ? b.TotalSeconds.ToString("R", CultureInfo.InvariantCulture) : "none",
            ["automl_max_trials"] = options.MaxTrials?.ToString(CultureInfo.InvariantCulture) ?? "none",
            ["automl_tuner"] = options.Tuner.ToString(),
        });
        return new AutoMlTracker(options, parent);
    }

    public string RunId => _parent.RunId;

    public async Task LogTrialAsync(AutoMlTrial trial, CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, string>
        {
            ["mlflow.autologging"] = MlflowWorkflowObserver.AutologgingFlavor,
            ["mlworkflow.automl"] = "trial",
            ["mlworkflow.automl.trial"] = trial.Number.ToString(CultureInfo.InvariantCulture),
            ["mlworkflow.automl.status"] = trial.Status.ToString().ToLowerInvariant(),
        };
        var child = await _parent.StartChildRunAsync($"trial-{trial.Number}-{trial.Trainer.Name}", tags, cancellationToken: cancellationToken).ConfigureAwait(false);
        trial.RunId = child.RunId;
        child.LogParams(trial.Trainer.ToParams());
        if (trial.ValidationMetrics is { } metrics)
        {
            child.LogMetrics(metrics.Where(m => double.IsFinite(m.Value)).Select(m => KeyValuePair.Create("val_" + m.Key, m.Value)));
        }

        child.LogMetric("trial_duration_s", trial.Duration.TotalSeconds);
        if (trial.Error is { } error)
        {
            child.SetTag("mlworkflow.error.message", error);
        }

        await child.EndAsync(trial.Status == AutoMlTrialStatus.Succeeded ? RunStatus.Finished : trial.Status == AutoMlTrialStatus.Failed ? RunStatus.Failed : RunStatus.Killed, cancellationToken).ConfigureAwait(false);
    }

    public async Task CompleteAsync(AutoMlResult result, IDataView data, DataProfile? profile, CancellationToken cancellationToken)
    {
        var run = _parent;
        foreach (var (key, value) in result.BestWorkflow.GetParams())
        {
            run.LogParam(key, value);
        }

        run.LogParam("automl_validation", result.ValidationFolds is { } k
            ? $"cross_validation_{k}" + (result.ValidationRepeats > 1 ? $"x{result.ValidationRepeats}" : string.Empty)
            : "holdout_" + _options.ValidationFraction.ToString("R", CultureInfo.InvariantCulture));
        run.LogParam("automl_selection", result.Ensemble is { } ensemble
            ? $"ensemble: trials {string.Join(", ", ensemble.Trials.Select(t => t.Number))}"
            : result.TopTrial is { } top && !ReferenceEquals(top, result.BestTrial)
            ? $"one_standard_error: trial {result.BestTrial.Number} chosen over trial {top.Number}"
            : "best_validation_score");
        run.LogMetrics(result.TestMetrics.Where(m => double.IsFinite(m.Value)));
        run.LogMetric("val_" + result.Metric, result.ValidationScore);
        run.LogMetric("automl_trials", result.Trials.Count);
        run.LogMetric("automl_trials_failed", result.Trials.Count(t => t.Status != AutoMlTrialStatus.Succeeded));
        if (result.BestTrial.RunId is { } bestRun)
        {
            run.SetTag("mlworkflow.automl.best_trial_run_id", bestRun);
        }

        await run.LogTextAsync(LeaderboardFile, Leaderboard(result), cancellationToken).ConfigureAwait(false);
        await run.LogJsonAsync("featurization.json", result.FeatureNotes.Select(n => new { column = n.Column, action = n.Action, reason = n.Reason }), cancellationToken: cancellationToken).ConfigureAwait(false);

        var final = result.FinalModel;
        using (var saved = SavedMlnetModel.Save(
            run.RunId,
            final.MLContext,
            final.Model,
            final.InputSchema,
            new MlnetModelSaveOptions { InputColumns = final.SignatureInputColumns, InputExample = data, InputExampleRows = 5 }))
        {
            result.ModelUri = await saved.LogAsync(run, cancellationToken).ConfigureAwait(false);
        }

        if (profile is not null)
        {
            await run.LogDataProfileAsync(profile, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var writer in _options.ArtifactWriters)
        {
            var folder = Path.Combine(Path.GetTempPath(), "mlw-automl-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                await writer.WriteAsync(result, folder, cancellationToken).ConfigureAwait(false);
                await run.LogArtifactAsync(folder, writer.ArtifactPath, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        result.RunId = run.RunId;
        await run.EndAsync(RunStatus.Finished, cancellationToken).ConfigureAwait(false);
        if (_options.RegisteredModelName is { } name)
        {
            result.RegisteredVersion = await _options.TrackingClient!.Registry.RegisterModelAsync(result.ModelUri, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task FailAsync(Exception error)
    {
        if (_parent.IsEnded)
        {
            return;
        }

        _parent.SetTag("mlworkflow.error.type", error.GetType().FullName ?? error.GetType().Name);
        _parent.SetTag("mlworkflow.error.message", error.Message.Length <= 5000 ? error.Message : error.Message[..4999] + "…");
        await _parent.EndAsync(error is OperationCanceledException ? RunStatus.Killed : RunStatus.Failed, CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_parent.IsEnded)
        {
            await _parent.EndAsync(RunStatus.Failed).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The leaderboard as CSV: rank, trial, run id, trainer, status, validation score, seconds, hyperparameters; failed trials
    /// last; an ensemble chosen as the final model first, without a rank, its members and weights as its hyperparameters.
    /// </summary>
    internal static string Leaderboard(AutoMlResult result)
    {
        var text = new StringBuilder();
        text.Append("rank,trial,run_id,trainer,status,val_").Append(result.Metric).Append(",duration_s,hyperparameters,error\n");
        if (result.Ensemble is { } ensemble)
        {
            var members = string.Join(" ", ensemble.Trials.Select((t, i) => string.Create(CultureInfo.InvariantCulture, $"#{t.Number}={ensemble.Weights[i]:R}")));
            text.Append(CultureInfo.InvariantCulture, $",ensemble,,{Trainers.EnsembleName},succeeded,")
                .Append(ensemble.ValidationScore.ToString("R", CultureInfo.InvariantCulture)).Append(",,")
                .Append(Csv(members)).Append(",\n");
        }

        var ranked = result.Leaderboard.Concat(result.Trials.Where(t => t.Status != AutoMlTrialStatus.Succeeded)).ToArray();
        for (var i = 0; i < ranked.Length; i++)
        {
            var t = ranked[i];
            var rank = t.Status == AutoMlTrialStatus.Succeeded ? (i + 1).ToString(CultureInfo.InvariantCulture) : string.Empty;
            var parameters = string.Join(" ", t.Trainer.Hyperparameters.Select(p => $"{p.Key}={HyperparameterDescriptor.Format(p.Value)}"));
            text.Append(CultureInfo.InvariantCulture, $"{rank},{t.Number},{t.RunId},{t.Trainer.Name},{t.Status.ToString().ToLowerInvariant()},")
                .Append(t.ValidationScore?.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(t.Duration.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)).Append(',')
                .Append(Csv(parameters)).Append(',').Append(Csv(t.Error ?? string.Empty)).Append('\n');
        }

        return text.ToString();
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
