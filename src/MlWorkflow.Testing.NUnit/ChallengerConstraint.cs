using System.Globalization;
using Microsoft.ML;
using MlWorkflow.Testing.Models;
using MlWorkflow.Tracking;
using MlWorkflow.Training;

namespace MlWorkflow.Testing.NUnit;

/// <summary>
/// The release gate as an NUnit constraint on a candidate (a <see cref="WorkflowResult"/>, or an <see cref="ITransformer"/> with
/// <see cref="ForTask"/>): no worse than the champion on the golden data by a margin, and promoted when it passes if
/// <see cref="AndPromote"/> says so. A failure names both values, the margin, the data set's digest, the candidate's run and
/// the champion's version and run.
/// </summary>
public sealed class ChallengerConstraint : ModelCheckConstraint
{
    private readonly string _championUri;
    private readonly IDataView _data;
    private readonly string _metric;
    private readonly double _margin;
    private LearningTask? _task;
    private string? _labelColumn;
    private bool? _lowerIsBetter;
    private string? _promoteTo;
    private string _alias = "champion";

    internal ChallengerConstraint(string championUri, IDataView data, string metric, double margin)
        : base(championUri, metric, margin)
    {
        _championUri = championUri;
        _data = data;
        _metric = metric;
        _margin = margin;
    }

    /// <summary>What the constraint expects, such as <c>no worse than 'models:/cars/Production' by rmse (margin 0.01)</c>.</summary>
    public override string Description =>
        string.Create(CultureInfo.InvariantCulture, $"no worse than '{_championUri}' by {_metric} (margin {_margin:R})");

    /// <summary>The version promoted by the last check that passed with <see cref="AndPromote"/>, or null.</summary>
    public Tracking.Registry.ModelVersion? Promoted { get; private set; }

    /// <summary>The client that resolves the champion (and registers the candidate). The default: the candidate's own tracking client, else one from <c>MLFLOW_TRACKING_URI</c>.</summary>
    /// <param name="client">The client.</param>
    /// <returns>This constraint.</returns>
    public ChallengerConstraint Using(MlflowClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        return this;
    }

    /// <summary>The task and label column, for a candidate that is a bare <see cref="ITransformer"/> (a <see cref="WorkflowResult"/> knows its own).</summary>
    /// <param name="task">The task both models were trained for.</param>
    /// <param name="labelColumn">The label column of the data. The default value is <c>Label</c>.</param>
    /// <returns>This constraint.</returns>
    public ChallengerConstraint ForTask(LearningTask task, string labelColumn = "Label")
    {
        ArgumentException.ThrowIfNullOrEmpty(labelColumn);
        _task = task;
        _labelColumn = labelColumn;
        return this;
    }

    /// <summary>Says whether a lower value of the metric is better. The default: inferred from its name (errors and losses are lower-is-better).</summary>
    /// <param name="lowerIsBetter">Whether lower is better.</param>
    /// <returns>This constraint.</returns>
    public ChallengerConstraint LowerIsBetter(bool lowerIsBetter = true)
    {
        _lowerIsBetter = lowerIsBetter;
        return this;
    }

    /// <summary>When the candidate passes, registers it as a new version of a registered model and moves an alias to it (the CI release gate). Needs a tracked <see cref="WorkflowResult"/>.</summary>
    /// <param name="registeredModelName">The registered model's name.</param>
    /// <param name="alias">The alias to move. The default value is <c>champion</c>.</param>
    /// <returns>This constraint.</returns>
    public ChallengerConstraint AndPromote(string registeredModelName, string alias = "champion")
    {
        ArgumentException.ThrowIfNullOrEmpty(registeredModelName);
        ArgumentException.ThrowIfNullOrEmpty(alias);
        _promoteTo = registeredModelName;
        _alias = alias;
        return this;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The candidate is neither a <see cref="WorkflowResult"/> nor an <see cref="ITransformer"/> with <see cref="ForTask"/>, or promotion needs a tracked result.</exception>
    protected override async Task<(bool Passed, string Message)> CheckAsync(object? actual, MlflowClient client, CancellationToken cancellationToken)
    {
        var (model, task, label, tracked) = actual switch
        {
            WorkflowResult r => (r.Model, _task ?? r.Trainer.Task, _labelColumn ?? r.LabelColumn, r.Tracking),
            ITransformer t when _task is { } given => (t, given, _labelColumn ?? "Label", null),
            ITransformer => throw new ArgumentException("A bare ITransformer candidate needs its task: add .ForTask(LearningTask.Regression, \"label\").", nameof(actual)),
            _ => throw new ArgumentException($"Is.NoWorseThan applies to a WorkflowResult or an ITransformer, not {actual?.GetType().Name ?? "null"}.", nameof(actual)),
        };
        if (_promoteTo is not null && tracked is null)
        {
            throw new ArgumentException("AndPromote needs a tracked WorkflowResult (.Track(...)) to register.", nameof(actual));
        }

        var options = new ChallengeOptions { Task = task, Metric = _metric, Margin = _margin, LabelColumn = label, LowerIsBetter = _lowerIsBetter, CandidateRunId = tracked?.RunId };
        var result = await ChampionChallenger.CompareAsync(client, model, _championUri, _data, options, cancellationToken).ConfigureAwait(false);
        if (_promoteTo is null || !result.Passed)
        {
            return (result.Passed, result.Message);
        }

        Promoted = await ChampionChallenger.PromoteIfPassedAsync(result, tracked!, _promoteTo, _alias, cancellationToken).ConfigureAwait(false);
        return (true, string.Create(CultureInfo.InvariantCulture, $"{result.Message} Promoted to '{_promoteTo}' version {Promoted!.Version} (alias '{_alias}')."));
    }
}
