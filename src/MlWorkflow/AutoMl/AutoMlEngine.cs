using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Execution;
using MlWorkflow.Exploration;
using MlWorkflow.Features;
using MlWorkflow.Planning;
using MlWorkflow.Splitting;
using MlWorkflow.Training;

namespace MlWorkflow.AutoMl;

/// <summary>
/// Runs one search: test rows out first (the same rows <c>Split(testFraction)</c> of the best workflow holds out), then
/// featurisation fitted on the training rows and cached in memory, then trials on the cached features (no reloading, no
/// refeaturising), then the final refit through the public workflow, all within the time budget.
/// </summary>
internal sealed class AutoMlEngine
{
    private const string FeatureColumn = ConcatenateStep.DefaultOutput;

    private readonly WorkflowDefinition _definition;
    private readonly AutoMlOptions _options;
    private readonly TimeProvider _clock;
    private readonly int _seed;
    private readonly string _label;
    private readonly long _started;
    private readonly TimeSpan? _budget;
    private readonly List<AutoMlTrial> _trials = [];

    // The trials run so far by trainer and hyperparameter values, with the loss and cost the tuner was told: a proposal
    // equal to one of them (a linear trainer's cheap start is its defaults, which the tuner proposes next; a small discrete
    // space) gets that answer again instead of a second fit.
    private readonly Dictionary<string, (double Loss, double Cost)> _tried = new(StringComparer.Ordinal);
    private LearningTask _task;
    private string _metric = MetricNames.Rmse;
    private double _bestLoss = double.PositiveInfinity;
    private AutoMlTrial? _best;
    private double _bestWorstFoldLoss = double.PositiveInfinity;
    private TimeSpan _featurizeTime;
    private double _refitScale = 1.25;
    private int? _folds;
    private int _repeats = 1;
    private int _foldCount = 1;
    private EnsembleSelection? _selection;

    private AutoMlEngine(WorkflowDefinition definition, AutoMlOptions options)
    {
        _definition = definition;
        _options = options;
        _clock = definition.TimeProvider;
        _seed = options.Seed ?? definition.Seed;
        _label = definition.Label!;
        _budget = options.EffectiveBudget;
        _started = _clock.GetTimestamp();
    }

    public static async Task<AutoMlResult> RunAsync(WorkflowDefinition definition, AutoMlOptions options, CancellationToken cancellationToken)
    {
        if (definition.Data is null && definition.Source is null)
        {
            throw new WorkflowValidationException("Load", string.Empty, "no data: call Load(...) before AutoMl(...).");
        }

        if (definition.Label is null)
        {
            throw new WorkflowValidationException("Label", string.Empty, "no label column: call Label(\"column\") before AutoMl(...).");
        }

        return await new AutoMlEngine(definition, options).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan Elapsed => _clock.GetElapsedTime(_started);

    private async Task<AutoMlResult> RunAsync(CancellationToken cancellationToken)
    {
        var logger = _definition.Options.Logger;
        using var activity = WorkflowDiagnostics.Source.StartActivity(WorkflowDiagnostics.AutoMlActivity);
        var ml = new MLContext(_seed);
        using var registration = cancellationToken.Register(static state => MLContextCancellation.Cancel((MLContext)state!), ml);

        // Loaded once and kept in memory: the search and the final refit read it again and again.
        var loaded = _definition.Data ?? await _definition.Source!.LoadAsync(ml, cancellationToken).ConfigureAwait(false);
        var data = await Task.Run(() => Materialize(ml, loaded, out _), cancellationToken).ConfigureAwait(false);

        var userSteps = _definition.Steps;
        var labelSteps = userSteps.Where(s => s.OutputColumns.Contains(_label)).ToArray();
        var labelled = await Task.Run(() => Chain(ml, labelSteps).Fit(data).Transform(data), cancellationToken).ConfigureAwait(false);
        _task = _options.Task ?? InferTask(ml, labelled);
        _metric = AutoMlMetrics.Resolve(_options.MetricName, _task);
        var spaces = Candidates().Select(d => new SearchSpace(d)).ToArray();
        activity?.SetTag("mlworkflow.task", TrainerSpec.TaskName(_task));
        activity?.SetTag("mlworkflow.label", _label);
        AutoMlLog.Started(logger, _task, _label, _metric, spaces.Length, _budget);

        await using var tracker = _options.TrackingClient is null ? null : await AutoMlTracker.StartAsync(_options, _definition, _task, _metric, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await SearchAsync(ml, data, labelled, userSteps, labelSteps, spaces, tracker, cancellationToken).ConfigureAwait(false);
            var milliseconds = result.Elapsed.TotalMilliseconds;
            AutoMlLog.Finished(logger, _trials.Count, result.BestTrainer.Name, _metric, result.BestTrial.ValidationScore, milliseconds);
            return result;
        }
        catch (Exception error) when (tracker is not null)
        {
            await tracker.FailAsync(error).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<AutoMlResult> SearchAsync(
        MLContext ml, IDataView data, IDataView labelled, IReadOnlyList<FeatureStep> userSteps, FeatureStep[] labelSteps,
        SearchSpace[] spaces, AutoMlTracker? tracker, CancellationToken cancellationToken)
    {
        var logger = _definition.Options.Logger;
        // Multiclass without the LightGBM package has only linear trainers: the plain features are then those of the first.
        var plain = spaces.FirstOrDefault(s => !s.Trainer.NeedsNormalization)?.Trainer
            ?? Trainers.For(_task).FirstOrDefault(d => !d.NeedsNormalization)
            ?? spaces[0].Trainer;
        var scaled = spaces.FirstOrDefault(s => s.Trainer.NeedsNormalization)?.Trainer;

        // The label prepared as the workflow prepares it, then the test rows held out exactly as Split(testFraction) does.
        var baseDefinition = _definition.WithoutTestScheme() with
        {
            Seed = _seed,
            TestFraction = _options.TestFraction,
            TimeLimit = null,
            ObserverFactories = [],
        };
        if (!ColumnTypes.ToShape(labelled.Schema).TryFindColumn(_label, out var labelColumn))
        {
            throw new WorkflowValidationException("Label", _label, $"column '{_label}' does not exist; columns: {Quote(string.Join(", ", labelled.Schema.Where(c => !c.IsHidden).Select(c => c.Name)))}");
        }

        var conversion = WorkflowPlanner.LabelConversion(ml, plain.Create(), _label, labelColumn);
        var prepared = conversion is null ? labelled : conversion.Fit(labelled).Transform(labelled);
        CheckLabel(ml, prepared);
        var searchRows = Splits.TrainTest(baseDefinition, prepared)!.TrainSet;
        var foldCount = _options.Folds;
        long searchRowCount = AutoMlOptions.SmallDataRows;
        if (!_options.ValidationChosen)
        {
            searchRowCount = searchRows.GetRowCount() ?? CountRows(ml.Data.TakeRows(searchRows, AutoMlOptions.SmallDataRows));
            foldCount = searchRowCount < AutoMlOptions.SmallDataRows ? 5 : null;
        }

        _folds = foldCount;

        // The data summary covers the search rows only (the test rows stay unseen); made before the trials, so its time counts in the budget.
        var profile = tracker is not null && _options.ProfilesData
            ? await DataProfile.ComputeAsync(Splits.TrainTest(baseDefinition, labelled)!.TrainSet, _label, new DataProfileOptions { Logger = logger }, cancellationToken).ConfigureAwait(false)
            : null;

        // Validation folds of the search rows; the automatic featurisation looks at training rows only.
        var mark = _clock.GetTimestamp();
        // Small data, validation not chosen by the user: the k-fold split repeated with other fold seeds, so that thousands of
        // trials are not ranked on one partition of a few hundred rows (which rewards the trials that fit its folds by luck).
        _repeats = !_options.ValidationChosen && foldCount is not null ? RepeatsFor(searchRowCount) : 1;
        var folds = foldCount is { } k
            ? Enumerable.Range(0, _repeats).SelectMany(r => Splits.Folds(baseDefinition with { Seed = _seed + 1 + (1000 * r) }, searchRows, k)).Select(f => (f.TrainSet, f.TestSet)).ToArray()
            : [ToPair(Splits.TrainTest(baseDefinition with { Seed = _seed + 1, TestFraction = _options.ValidationFraction }, searchRows)!)];
        _refitScale = foldCount is { } count ? count / (count - 1.0) : 1 / (1 - _options.ValidationFraction);
        _foldCount = folds.Length;
        _selection = _options.BuildsEnsemble && _task != LearningTask.MulticlassClassification && EnsembleSelection.Supports(_metric)
            && _definition.Evaluation is not { FeatureImportance: true }
            ? new EnsembleSelection(_metric, folds.Length)
            : null;
        var analysed = foldCount is null ? folds[0].TrainSet : searchRows;
        var featureSteps = userSteps.Where(s => !labelSteps.Contains(s)).ToArray();
        IReadOnlyList<FeatureStep> autoSteps = [];
        IReadOnlyList<AutoMlFeatureNote> notes = [];
        if (!featureSteps.OfType<ConcatenateStep>().Any())
        {
            var view = await Task.Run(() => Chain(ml, featureSteps).Fit(analysed).Transform(analysed), cancellationToken).ConfigureAwait(false);
            var sources = new HashSet<string>(labelSteps.SelectMany(s => s.InputColumns).Where(c => c != _label), StringComparer.Ordinal);
            (autoSteps, notes) = await Task.Run(() => AutoFeaturizer.Analyze(ml, view, _label, _task, sources), cancellationToken).ConfigureAwait(false);
        }

        var searchDefinition = baseDefinition with { Steps = [.. userSteps, .. autoSteps] };

        // Featurised once per fold (and once more with normalisation for linear trainers), cached in memory.
        var featurized = new Dictionary<bool, FeaturizedFold[]>();
        var plainPlan = WorkflowPlanner.Plan(searchDefinition with { Trainer = plain.Create() }, ml, data.Schema);
        featurized[false] = await Task.Run(() => Featurize(ml, plainPlan, folds, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (scaled is not null)
        {
            var scaledPlan = WorkflowPlanner.Plan(searchDefinition with { Trainer = scaled.Create() }, ml, data.Schema);
            featurized[true] = await Task.Run(() => Featurize(ml, scaledPlan, folds, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        _featurizeTime = _clock.GetElapsedTime(mark) / (featurized.Count * folds.Length);
        var featurizeMilliseconds = _clock.GetElapsedTime(mark).TotalMilliseconds;
        var first = featurized[false][0];
        AutoMlLog.Featurized(logger, first.TrainRows, first.FeatureCount, featurizeMilliseconds);

        await RunTrialsAsync(spaces, featurized, tracker, cancellationToken).ConfigureAwait(false);
        var top = _best ?? throw NoSuccess();
        var ensemble = ChooseEnsemble(top);
        var best = ensemble is null ? Select(top) : top;
        if (!ReferenceEquals(best, _best))
        {
            AutoMlLog.SimplerChosen(logger, best.Number, best.Trainer.Name, best.ValidationScore, _best!.Number, _best.Trainer.Name, _best.ValidationScore);
        }

        // The final refit is the best workflow itself, on the data already in memory: the rows it trains on are the search rows.
        // The winner gets a seed of its own, so that its fit does not depend on how many draws the search's context made
        // before it (SDCA's shuffles): the generated program and notebook, loading the file afresh, then fit the same model.
        var winner = ensemble?.Trainer ?? best.Trainer;
        var bestDefinition = searchDefinition with { Trainer = winner.Seed is null ? winner.WithSeed(_seed) : winner };
        var bestWorkflow = Workflow.FromDefinition(bestDefinition with { ObserverFactories = _definition.ObserverFactories, Seed = _seed });
        var final = await WorkflowExecutor.RunAsync(bestDefinition with { Data = data, Source = null }, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = new AutoMlResult(bestWorkflow, best, [.. _trials], _metric, AutoMlMetrics.HigherIsBetter(_metric), final, notes, Elapsed, _budget)
            {
                SearchRows = searchRows,
                ValidationFolds = _folds,
                ValidationRepeats = _repeats,
                TopTrial = _best,
                Ensemble = ensemble,
            };
            if (tracker is not null)
            {
                await tracker.CompleteAsync(result, data, profile, cancellationToken).ConfigureAwait(false);
            }

            result.Elapsed = Elapsed;
            return result;
        }
        catch
        {
            final.Dispose();
            throw;
        }
    }

    private async Task RunTrialsAsync(SearchSpace[] spaces, Dictionary<bool, FeaturizedFold[]> featurized, AutoMlTracker? tracker, CancellationToken cancellationToken)
    {
        var logger = _definition.Options.Logger;
        var deterministic = _budget is null;
        ITuner tuner = _options.Tuner == AutoMlTuner.Random ? new RandomTuner(spaces, _seed) : new CostFrugalTuner(spaces, _seed);
        var repeats = 0;
        while (_options.MaxTrials is not { } max || _trials.Count < max)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var deadline = TrialTimeLimit();
            if (_best is null && _budget is { } budget)
            {
                // Nothing to refit yet: a first model is worth more than the reserve, so the trial may use what is left
                // less its own refit should it win.
                deadline = (budget - Elapsed - (budget * 0.02)) / (1 + (RefitMargin * _refitScale / _foldCount));
            }

            if (deadline is { } limit && limit < TimeSpan.FromMilliseconds(200))
            {
                break;
            }

            var proposal = tuner.Propose();
            var key = ProposalKey(proposal);
            if (_tried.TryGetValue(key, out var known) && repeats < MaxRepeatedProposals)
            {
                // A tuner with nothing new to propose would repeat itself forever under a trial bound: after this many
                // repeats in a row the point is trained again, as any other trial.
                repeats++;
                tuner.Report(proposal, known.Loss, known.Cost);
                continue;
            }

            repeats = 0;
            var number = _trials.Count + 1;
            using var activity = WorkflowDiagnostics.Source.StartActivity(WorkflowDiagnostics.AutoMlTrialActivity);
            activity?.SetTag("mlworkflow.trainer", proposal.Trainer.Name);
            var trial = await Task.Run(
                () => RunTrial(number, proposal, featurized[proposal.Trainer.NeedsNormalization], deterministic, deadline, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            _trials.Add(trial);
            var loss = trial.ValidationScore is { } score ? AutoMlMetrics.Loss(_metric, score) : double.PositiveInfinity;
            if (trial.Status == AutoMlTrialStatus.Succeeded && trial.Captured is { } captured)
            {
                _selection?.Add(trial, loss, captured.Labels, captured.Predictions);
                trial.Captured = null;
            }

            if (trial.Status == AutoMlTrialStatus.Succeeded && loss < _bestLoss)
            {
                _bestLoss = loss;
                _best = trial;
                _bestWorstFoldLoss = trial.WorstFoldLoss;
            }

            var cost = deterministic ? CostProxy(trial.Trainer) : trial.Duration.TotalSeconds;
            _tried[key] = (loss, cost);
            tuner.Report(proposal, loss, cost);
            if (trial.Status == AutoMlTrialStatus.Failed)
            {
                AutoMlLog.TrialFailed(logger, number, trial.Trainer.Name, trial.Error ?? string.Empty);
            }

            var trialMilliseconds = trial.Duration.TotalMilliseconds;
            AutoMlLog.Trial(logger, number, trial.Trainer.Name, trial.Status, trial.ValidationScore, trialMilliseconds);
            if (tracker is not null)
            {
                await tracker.LogTrialAsync(trial, cancellationToken).ConfigureAwait(false);
            }

            _options.Progress?.Report(new AutoMlProgress(
                _trials.Count,
                _trials.Count(t => t.Status != AutoMlTrialStatus.Succeeded),
                _metric,
                _best?.ValidationScore,
                _best?.Trainer.Name,
                trial,
                Elapsed,
                _budget is { } b ? b - Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero : null));
        }
    }

    // Proposals of points already tried, in a row, answered without a fit before the next one is trained again.
    private const int MaxRepeatedProposals = 100;

    // A trainer and its hyperparameter values, in a fixed order, each written as the params log it (round-trip for numbers).
    private static string ProposalKey(TrialProposal proposal) =>
        proposal.Trainer.Name + "(" + string.Join(", ", proposal.Values.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => v.Key + "=" + (v.Value is { } value ? HyperparameterDescriptor.Format(value) : "null"))) + ")";

    // At most this share of the budget is kept for refitting an ensemble's members.
    private const double EnsembleShare = 0.08;

    // At least this share of the budget is kept for refitting an ensemble's members.
    private const double EnsembleFloor = 0.01;

    // The longest the next trial may take: what is left of the budget, less the final refit of the best so far (or of the
    // ensemble it may join), and short enough that, should it win, its own refit (featurise and fit on all search rows,
    // score, log) still fits.
    private TimeSpan? TrialTimeLimit()
    {
        if (RefitTimeLeft(0.02) is not { } available)
        {
            return null;
        }

        var bestRefit = _best is null ? TimeSpan.Zero : RefitTime(_best);
        if (_selection is not null)
        {
            // Room for an ensemble too: the refits of the trials it would most likely average (the best two trainers' best
            // trials), within a share of the budget; at least 1% of it, so that quick members are not refused for a few
            // milliseconds of timing noise.
            var budget = _budget!.Value;
            var room = Math.Clamp(_selection.Reserve(RefitTime).Ticks, (budget * EnsembleFloor).Ticks, (budget * EnsembleShare).Ticks);
            bestRefit = TimeSpan.FromTicks(Math.Max(bestRefit.Ticks, room));
        }

        var ifItWins = available / (1 + (RefitMargin * _refitScale / _foldCount));
        return available - bestRefit < ifItWins ? available - bestRefit : ifItWins;
    }

    // What is left of the budget for fitting and refitting: less the logging at the end, a margin (a share of the budget),
    // and featurising all search rows for the final refit; null without a time budget.
    private TimeSpan? RefitTimeLeft(double margin) => _budget is { } budget
        ? budget - Elapsed - TimeSpan.FromSeconds(_options.TrackingClient is null ? 0.3 : 1.5) - (budget * margin) - (_featurizeTime * _refitScale * RefitMargin)
        : null;

    private AutoMlTrial RunTrial(int number, TrialProposal proposal, FeaturizedFold[] folds, bool deterministic, TimeSpan? timeLeft, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        TrainerSpec spec;
        try
        {
            var values = new Dictionary<string, object?>(proposal.Values, StringComparer.Ordinal);
            if (deterministic && proposal.Trainer.Hyperparameters.Any(h => h.Name == "threads"))
            {
                // One thread when only the trial count bounds the search, so that the same seed gives the same trials.
                values["threads"] = 1;
            }

            spec = proposal.Trainer.Create(values);
        }
        catch (ArgumentException error)
        {
            return new AutoMlTrial(number, proposal.Trainer.Create(), AutoMlTrialStatus.Failed, null, null, _clock.GetElapsedTime(started), Shorten(error.Message));
        }

        var trialMl = new MLContext(_seed);
        var overran = 0;
        using var registration = cancellationToken.Register(static state => MLContextCancellation.Cancel((MLContext)state!), trialMl);

        // A trial that would overrun the budget is stopped inside ML.NET's training loop.
        using var timer = timeLeft is { } left
            ? _clock.CreateTimer(
                _ =>
                {
                    Interlocked.Exchange(ref overran, 1);
                    MLContextCancellation.Cancel(trialMl);
                },
                null,
                left > TimeSpan.Zero ? left : TimeSpan.Zero,
                Timeout.InfiniteTimeSpan)
            : null;
        try
        {
            var foldMetrics = new List<MetricSet>();
            var capture = _selection is not null && (_task == LearningTask.Regression || spec.ProducesProbability);
            var foldLabels = new List<double[]>();
            var foldPredictions = new List<float[]>();
            foreach (var fold in folds)
            {
                var model = spec.CreateEstimator(trialMl, _label, FeatureColumn).Fit(fold.Train);
                var (metrics, data) = ModelEvaluator.EvaluateWithData(trialMl, model.Transform(fold.Valid), _task, _label);
                if (capture)
                {
                    // The validation predictions an ensemble would average: the score of a regression, a binary probability.
                    var rows = Math.Min(data.Labels.Count, _selection!.PerFoldRows);
                    var predicted = _task == LearningTask.Regression ? data.Scores : data.Probabilities;
                    foldLabels.Add([.. data.Labels.Take(rows)]);
                    foldPredictions.Add([.. predicted.Take(rows).Select(v => (float)v)]);
                }

                if (!metrics.TryGetValue(_metric, out var value) || double.IsNaN(value))
                {
                    throw new InvalidOperationException($"the trainer gave no {_metric} on the validation rows (NaN or missing).");
                }

                foldMetrics.Add(metrics);
                var loss = AutoMlMetrics.Loss(_metric, value);
                if (foldMetrics.Count < folds.Length && double.IsFinite(_bestLoss) && loss > Math.Max(1.5 * _bestLoss, 1.25 * _bestWorstFoldLoss) + 1e-12)
                {
                    // Hopeless: one fold already scores far worse than the best trial's mean and than its worst fold (folds of
                    // small data differ more than the leaders do: pruning on the mean alone dropped near-best trials).
                    return new AutoMlTrial(number, spec, AutoMlTrialStatus.Pruned, null, null, _clock.GetElapsedTime(started),
                        string.Create(CultureInfo.InvariantCulture, $"pruned after fold {foldMetrics.Count}: {_metric} {value:G5}, far from the best"));
                }
            }

            var mean = new MetricSet(
                foldMetrics[0].Keys.ToDictionary(key => key, key => foldMetrics.Average(m => m.TryGetValue(key, out var v) ? v : double.NaN)),
                MetricBasis.Test);
            var foldLosses = foldMetrics.Select(m => AutoMlMetrics.Loss(_metric, m[_metric])).ToArray();
            return new AutoMlTrial(number, spec, AutoMlTrialStatus.Succeeded, mean[_metric], mean, _clock.GetElapsedTime(started), null)
            {
                FoldLosses = foldLosses,
                Captured = capture ? (foldLabels, foldPredictions) : null,
            };
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The AutoML search was cancelled.", error, cancellationToken);
            }

            var stopped = Volatile.Read(ref overran) == 1;
            return new AutoMlTrial(
                number,
                spec,
                stopped ? AutoMlTrialStatus.Stopped : AutoMlTrialStatus.Failed,
                null,
                null,
                _clock.GetElapsedTime(started),
                stopped ? "stopped: it would have overrun the time budget" : Shorten(MessageChain(error)));
        }
    }

    // The ensemble of the best trials, when its validation loss is within one standard error of the best trial's or lower
    // (averaging the best of different trainers lowers the variance a single pick carries; under a holdout, with no
    // standard error, it must be lower) and its members' refits fit in what is left of the budget.
    private AutoMlEnsemble? ChooseEnsemble(AutoMlTrial top)
    {
        if (_selection is null)
        {
            return null;
        }

        // The trials kept 2% of the budget as a margin; the members' refit estimates carry their own (RefitMargin), so half of
        // it may go to them.
        var picked = _selection.Select(RefitTime, RefitTimeLeft(0.01), _seed);
        var topLoss = AutoMlMetrics.Loss(_metric, top.ValidationScore!.Value);
        if (picked is not { } ensemble || ensemble.Loss > Tolerance(top, _metric) || (top.FoldLosses.Length < 2 && ensemble.Loss >= topLoss))
        {
            return null;
        }

        var score = AutoMlMetrics.Score(_metric, ensemble.Loss);
        var result = new AutoMlEnsemble([.. ensemble.Members.Select(m => m.Trial)], [.. ensemble.Members.Select(m => m.Weight)], score);
        var members = string.Join(", ", result.Trials.Select(t => $"#{t.Number} {t.Trainer.Name}"));
        AutoMlLog.EnsembleChosen(_definition.Options.Logger, result.Trials.Count, members, score, top.Number, top.ValidationScore);
        return result;
    }

    // How long refitting a trial on all search rows should take: one fold's fit, scaled to the rows, with a margin.
    private TimeSpan RefitTime(AutoMlTrial trial) => trial.Duration / _foldCount * _refitScale * RefitMargin;

    private const double RefitMargin = 1.3;

    // Repeats of the k-fold split for small search rows: more below 1,000 rows, where one partition's luck weighs most.
    internal static int RepeatsFor(long rows) => rows < 1_000 ? 3 : rows < AutoMlOptions.SmallDataRows ? 2 : 1;

    // The one-standard-error rule (Hastie, Tibshirani, Friedman, "The Elements of Statistical Learning", 7.10): among the
    // trials whose validation loss is within one standard error (of the best trial's fold losses) of the best, the simplest
    // family wins (linear before GAM before trees), and within it the best loss; a pick that would take much longer to
    // refit than the best is not made (the budget keeps the best's refit time in reserve), nor, under log loss, one less
    // accurate on the validation folds than the best.
    private AutoMlTrial Select(AutoMlTrial best) => _options.PrefersSimpler ? SelectSimplest(_trials, best, _metric) : best;

    internal static AutoMlTrial SelectSimplest(IReadOnlyList<AutoMlTrial> trials, AutoMlTrial best, string metric)
    {
        if (best.FoldLosses.Length < 2)
        {
            return best;
        }

        var threshold = Tolerance(best, metric);
        var chosen = best;
        foreach (var trial in trials)
        {
            if (trial.Status != AutoMlTrialStatus.Succeeded || trial.ValidationScore is not { } score
                || trial.Duration > (best.Duration * 1.5) + TimeSpan.FromMilliseconds(50))
            {
                continue;
            }

            var loss = AutoMlMetrics.Loss(metric, score);
            if (loss > threshold || LosesAccuracy(trial, best, metric))
            {
                continue;
            }

            var rank = Complexity(trial.Trainer.Descriptor);
            var chosenRank = Complexity(chosen.Trainer.Descriptor);
            var penalty = Penalty(trial.Trainer);
            var chosenPenalty = Penalty(chosen.Trainer);
            if (rank < chosenRank
                || (rank == chosenRank && penalty > chosenPenalty)
                || (rank == chosenRank && penalty == chosenPenalty && loss < AutoMlMetrics.Loss(metric, chosen.ValidationScore!.Value)))
            {
                chosen = trial;
            }
        }

        return chosen;
    }

    // The best trial's validation loss plus one standard error of its fold losses (just its loss under a holdout): a model
    // scoring within it is as good as the best, given how much the folds disagree.
    internal static double Tolerance(AutoMlTrial best, string metric)
    {
        var loss = AutoMlMetrics.Loss(metric, best.ValidationScore!.Value);
        var losses = best.FoldLosses;
        if (losses.Length < 2)
        {
            return loss;
        }

        var mean = losses.Average();
        var deviation = Math.Sqrt(losses.Sum(l => (l - mean) * (l - mean)) / (losses.Length - 1));
        return loss + (deviation / Math.Sqrt(losses.Length));
    }

    // Under a probability metric (log loss), a simpler trial that is less accurate on the validation folds than the best is
    // not taken: the rule trades a little of the optimised metric for simplicity, not the accuracy reported beside it.
    internal static bool LosesAccuracy(AutoMlTrial trial, AutoMlTrial best, string metric)
    {
        if (!AutoMlMetrics.NeedsProbability(metric) || trial.ValidationMetrics is not { } metrics || best.ValidationMetrics is not { } bestMetrics)
        {
            return false;
        }

        foreach (var name in new[] { MetricNames.AccuracyMicro, MetricNames.Accuracy })
        {
            if (metrics.TryGetValue(name, out var accuracy) && bestMetrics.TryGetValue(name, out var bestAccuracy))
            {
                return accuracy < bestAccuracy - 1e-9;
            }
        }

        return false;
    }

    // A linear model's regularisation weight (L1 + L2): within one standard error, the most regularised is the simplest, as
    // glmnet's lambda.1se picks; 0 for trainers without one, which then compare by loss alone.
    private static double Penalty(TrainerSpec trainer)
    {
        if (!trainer.NeedsNormalization)
        {
            return 0;
        }

        var total = 0.0;
        foreach (var name in new[] { "l1_regularization", "l2_regularization" })
        {
            if (trainer.Hyperparameters.TryGetValue(name, out var value) && value is double weight && double.IsFinite(weight))
            {
                total += weight;
            }
        }

        return total;
    }

    // Linear models first (they need normalised features), then generalised additive models, then tree ensembles.
    private static int Complexity(TrainerDescriptor trainer) =>
        trainer.NeedsNormalization ? 0 : trainer.Name.Contains("Gam", StringComparison.Ordinal) ? 1 : 2;

    private FeaturizedFold[] Featurize(MLContext ml, WorkflowPlan plan, (IDataView TrainSet, IDataView TestSet)[] folds, CancellationToken cancellationToken)
    {
        var result = new List<FeaturizedFold>();
        foreach (var (train, valid) in folds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var features = plan.Features.Fit(train);
            var keep = ml.Transforms.SelectColumns(_label, FeatureColumn);
            var trainView = Materialize(ml, keep.Fit(features.Transform(train)).Transform(features.Transform(train)), out var trainRows);
            var validView = Materialize(ml, keep.Fit(features.Transform(valid)).Transform(features.Transform(valid)), out _);
            var width = (trainView.Schema[FeatureColumn].Type as VectorDataViewType)?.Size ?? 1;
            if (_options.MemoryLimitBytes is { } limit)
            {
                var bytes = (long)trainRows * (width + 1) * sizeof(float) * folds.Length * 2;
                if (bytes > limit && trainRows > 100)
                {
                    // Over the cap: a seeded sample of the training rows, the validation rows untouched.
                    var keepFraction = Math.Max(0.01, (double)limit / bytes);
                    trainView = Materialize(ml, ml.Data.TrainTestSplit(trainView, keepFraction, seed: _seed + 2).TestSet, out trainRows);
                }
            }

            result.Add(new FeaturizedFold(trainView, validView, trainRows, width));
        }

        return [.. result];
    }

    private static long CountRows(IDataView view)
    {
        long rows = 0;
        using var cursor = view.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            rows++;
        }

        return rows;
    }

    // Cached and read once, so that every trial reads memory, not the pipeline.
    private static IDataView Materialize(MLContext ml, IDataView view, out long rows)
    {
        var cached = ml.Data.Cache(view);
        rows = 0;
        using var cursor = cached.GetRowCursor(cached.Schema);
        while (cursor.MoveNext())
        {
            rows++;
        }

        return cached;
    }

    private TrainerDescriptor[] Candidates()
    {
        var all = Trainers.For(_task);
        IEnumerable<TrainerDescriptor> chosen = all;
        if (_options.TrainerNames is { } names)
        {
            var unknown = names.Where(n => !all.Any(d => string.Equals(d.Name, n, StringComparison.OrdinalIgnoreCase))).ToArray();
            if (unknown.Length > 0)
            {
                var shown = string.Join(", ", unknown);
                throw new ArgumentException(
                    $"Unknown {TrainerSpec.TaskName(_task)} trainer(s): {(shown.Length > 200 ? shown[..200] + "…" : shown)}; the catalog has: {string.Join(", ", all.Select(d => d.Name))}.",
                    nameof(AutoMlOptions.TrainerNames));
            }

            chosen = all.Where(d => names.Any(n => string.Equals(d.Name, n, StringComparison.OrdinalIgnoreCase)));
        }

        chosen = chosen.Concat(_options.AdditionalTrainers.Where(d => d.Task == _task));
        if (AutoMlMetrics.NeedsProbability(_metric))
        {
            chosen = chosen.Where(d => d.ProducesProbability);
        }

        var list = chosen.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException(
                $"No trainer left to search: metric {_metric} needs class probabilities, and none of the trainers chosen gives them.",
                nameof(AutoMlOptions.TrainerNames));
        }

        return list;
    }

    private LearningTask InferTask(MLContext ml, IDataView labelled)
    {
        var column = labelled.Schema.GetColumnOrNull(_label)
            ?? throw new WorkflowValidationException("Label", _label, $"column '{_label}' does not exist; columns: {Quote(string.Join(", ", labelled.Schema.Where(c => !c.IsHidden).Select(c => c.Name)))}");
        var type = column.Type;
        if (type is BooleanDataViewType)
        {
            return LearningTask.BinaryClassification;
        }

        if (type is TextDataViewType or KeyDataViewType)
        {
            return LearningTask.MulticlassClassification;
        }

        if (type is NumberDataViewType)
        {
            var values = AutoFeaturizer.ReadDoubles(ml, ml.Data.TakeRows(labelled, 100_000), _label);
            return values.Where(v => !double.IsNaN(v)).All(v => v is 0 or 1) ? LearningTask.BinaryClassification : LearningTask.Regression;
        }

        throw new WorkflowValidationException("Label", _label, $"column '{_label}' is {type}; AutoML needs a numeric, Boolean or text label");
    }

    private void CheckLabel(MLContext ml, IDataView prepared)
    {
        if (_task != LearningTask.Regression)
        {
            return;
        }

        var missing = AutoFeaturizer.ReadDoubles(ml, prepared, _label).Count(double.IsNaN);
        if (missing > 0)
        {
            throw new WorkflowValidationException(
                "Label", _label, $"{missing} rows have no label value; filter them out first (for example ml.Data.FilterRowsByMissingValues(data, \"{_label}\")) and load the filtered view");
        }
    }

    private AutoMlException NoSuccess()
    {
        var failures = _trials.Where(t => t.Error is not null).Select(t => $"#{t.Number} {t.Trainer.Name}: {t.Error}").Take(3).ToArray();
        var detail = failures.Length == 0 ? string.Empty : " First errors: " + string.Join(" | ", failures);
        var advice = _trials.Count == 0
            ? $"the budget left no time for a trial after loading and featurising ({Elapsed.TotalSeconds:F1} s); give a larger budget"
            : $"none of the {_trials.Count} trials succeeded; check the label and the trainers allowed, or give a larger budget";
        return new AutoMlException($"AutoML found no model: {advice}.{Quote(detail)}", [.. _trials]);
    }

    // A deterministic stand-in for a trial's time when only the trial count bounds the search (times vary from run to run).
    private static double CostProxy(TrainerSpec spec)
    {
        var size = 1.0;
        foreach (var name in new[] { "trees", "iterations", "leaves", "max_iterations" })
        {
            if (spec.Hyperparameters.TryGetValue(name, out var value))
            {
                size *= value is int i ? Math.Min(i, 10_000) : 20;
            }
        }

        return 0.01 + (size / 1000);
    }

    private static EstimatorChain<ITransformer> Chain(MLContext ml, IEnumerable<FeatureStep> steps)
    {
        var chain = new EstimatorChain<ITransformer>();
        foreach (var step in steps)
        {
            chain = chain.Append(step.CreateEstimator(ml));
        }

        return chain;
    }

    private static (IDataView TrainSet, IDataView TestSet) ToPair(TrainTest split) => (split.TrainSet, split.TestSet);

    private static string MessageChain(Exception error)
    {
        var messages = new List<string>();
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(" ---> ", messages.Distinct());
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : string.Concat(text.AsSpan(0, 499), "…");

    private static string Quote(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 199), "…");

    private sealed record FeaturizedFold(IDataView Train, IDataView Valid, long TrainRows, int FeatureCount);
}
