using MlWorkflow.Training;
using MlWorkflow.Tracking;

namespace MlWorkflow.AutoMl;

/// <summary>
/// What an AutoML search may spend and optimise, set fluently:
/// <c>o =&gt; o.Budget(TimeSpan.FromSeconds(60)).Metric("rmse").CrossValidate(5)</c>. Each method checks its
/// argument and returns these options.
/// </summary>
public sealed class AutoMlOptions
{
    private readonly List<IAutoMlArtifactWriter> _artifactWriters = [];

    /// <summary>Trainers searched beside the catalog's (tests add a failing or a slow one here).</summary>
    internal List<TrainerDescriptor> AdditionalTrainers { get; } = [];

    /// <summary>The wall-time budget of the whole search, the final refit included. The default value is 60 seconds when <see cref="MaxTrials"/> is not set, otherwise none.</summary>
    public TimeSpan? TimeBudget { get; private set; }

    /// <summary>The most trials to run; null for as many as the time budget allows. The default value is null.</summary>
    public int? MaxTrials { get; private set; }

    /// <summary>The metric to optimise, by MLflow's name (see <see cref="Evaluation.MetricNames"/>); null for the task's default: <c>rmse</c>, <c>auc</c>, or <c>log_loss</c> for multiclass. The default value is null.</summary>
    public string? MetricName { get; private set; }

    /// <summary>The task; null to infer it from the label (numbers with many values: regression; Boolean or two values: binary; text or few values: multiclass). The default value is null.</summary>
    public LearningTask? Task { get; private set; }

    /// <summary>The fraction of the search rows held out for validation (when <see cref="Folds"/> is null). The default value is 0.2.</summary>
    public double ValidationFraction { get; private set; } = 0.2;

    /// <summary>
    /// The number of cross-validation folds, or null for one validation holdout. The default value is null, which lets the
    /// search choose: 5-fold cross-validation below <see cref="SmallDataRows"/> search rows (a small holdout rewards luck),
    /// else a holdout of <see cref="ValidationFraction"/>. <see cref="Holdout"/> or <see cref="CrossValidate"/> decide it.
    /// </summary>
    public int? Folds { get; private set; }

    /// <summary>
    /// Whether the final model is the simplest trial within one standard error of the best validation score (linear before
    /// additive before tree models; the one-standard-error rule), rather than the best score itself: thousands of trials
    /// scored on the same few folds make the best score optimistic, and the simpler near-tie generalises as well or better.
    /// Under log loss, a simpler trial less accurate on the validation folds than the best is not taken, nor, under any metric,
    /// one that took more than 1.5 times the best's training time (plus 50 ms), whose refit might not fit the budget. Applies
    /// only when trials are cross-validated. The default value is true.
    /// </summary>
    public bool PrefersSimpler { get; private set; } = true;

    /// <summary>
    /// Whether the final model may be an ensemble of the best trials (regression and binary classification): after the
    /// search, the best trial of each trainer is added one at a time, with repeats, to a weighted average of their validation
    /// predictions as long as the average scores better (ensemble selection, Caruana et al., ICML 2004, among the trials
    /// within twice the best one's validation loss, bagged over random halves of them as the paper does), and the ensemble replaces the single best trial when its validation score
    /// is within one standard error of the best trial's (under a holdout: better) and its members' refits fit in the budget
    /// (the search keeps room for them). It is built for the metrics <c>rmse</c>, <c>mse</c>, <c>mae</c>, <c>r2</c>, <c>auc</c>, <c>accuracy</c> and
    /// <c>log_loss</c>; binary members must give probabilities. The model is <see cref="Training.Trainers.Ensemble"/>, a plain
    /// ML.NET chain, so it is saved, served and written as code as a single trainer is. Not built for multiclass, or when the
    /// workflow asks for permutation feature importance. The default value is true.
    /// </summary>
    public bool BuildsEnsemble { get; private set; } = true;

    /// <summary>Below this many search rows, a search that was not told how to validate cross-validates (5 folds): 5,000.</summary>
    public const int SmallDataRows = 5_000;

    /// <summary>Whether <see cref="Holdout"/> or <see cref="CrossValidate"/> was called.</summary>
    internal bool ValidationChosen { get; private set; }

    /// <summary>The fraction of all rows held out as the test set: the search never sees them, the final model is scored on them. The default value is 0.2.</summary>
    public double TestFraction { get; private set; } = 0.2;

    /// <summary>The seed of the splits, the tuner and the trainers; null for the workflow's seed. The default value is null.</summary>
    public int? Seed { get; private set; }

    /// <summary>The names of the trainers the search may use (for example <c>LightGbm</c>, <c>FastTree</c>); null for every trainer of the catalog for the task. The default value is null.</summary>
    public IReadOnlyList<string>? TrainerNames { get; private set; }

    /// <summary>The most memory the cached, featurised search data may take, in bytes; above it the search trains on a seeded sample of its training rows. Null for no limit. The default value is null.</summary>
    public long? MemoryLimitBytes { get; private set; }

    /// <summary>Receives the search's progress after every trial. The default value is null.</summary>
    public IProgress<AutoMlProgress>? Progress { get; private set; }

    /// <summary>How trials are proposed. The default value is <see cref="AutoMlTuner.CostFrugal"/>.</summary>
    public AutoMlTuner Tuner { get; private set; } = AutoMlTuner.CostFrugal;

    /// <summary>The tracking client the search records into, or null when it is not tracked. The default value is null.</summary>
    public MlflowClient? TrackingClient { get; private set; }

    /// <summary>The experiment the search records into. The default value is null.</summary>
    public string? ExperimentName { get; private set; }

    /// <summary>The name of the search's (parent) run; null for a generated one. The default value is null.</summary>
    public string? RunName { get; private set; }

    /// <summary>The registered model the winner is registered as, or null to register nothing. The default value is null.</summary>
    public string? RegisteredModelName { get; private set; }

    /// <summary>
    /// Whether a tracked search logs a data-exploration summary of its search rows (<see cref="Exploration.DataProfile"/>:
    /// Markdown, and PNG plots when MlWorkflow.Plots is referenced) under <c>data_profile/</c> of its run; the test rows are
    /// not profiled. Its time counts in the budget. The default value is true.
    /// </summary>
    public bool ProfilesData { get; private set; } = true;

    /// <summary>Writers whose files are logged as artifacts of the search's run (generated code, data summaries). The default value is empty.</summary>
    public IReadOnlyList<IAutoMlArtifactWriter> ArtifactWriters => _artifactWriters;

    /// <summary>Sets the wall-time budget of the whole search, the final refit included.</summary>
    /// <param name="budget">More than zero.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions Budget(TimeSpan budget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budget, TimeSpan.Zero);
        TimeBudget = budget;
        return this;
    }

    /// <summary>Sets the most trials to run. Each trial is a distinct trainer and hyperparameter point: a proposal equal to one
    /// already run gets that trial's result without a second fit (unless the tuner proposes nothing else 100 times in a row).</summary>
    /// <param name="trials">At least 1.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions Trials(int trials)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        MaxTrials = trials;
        return this;
    }

    /// <summary>Sets the metric to optimise, by MLflow's name (for example <c>rmse</c>, <c>r2</c>, <c>auc</c>, <c>accuracy</c>, <c>log_loss</c>).</summary>
    /// <param name="metric">The name; checked against the task when the search starts.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions Metric(string metric)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        MetricName = metric.Trim().ToLowerInvariant();
        return this;
    }

    /// <summary>Sets the task instead of inferring it from the label.</summary>
    /// <param name="task">The task.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions ForTask(LearningTask task)
    {
        if (!Enum.IsDefined(task))
        {
            throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown learning task.");
        }

        Task = task;
        return this;
    }

    /// <summary>Validates every trial on one holdout of the search rows.</summary>
    /// <param name="validationFraction">The fraction held out, in (0, 1). The default value is 0.2.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions Holdout(double validationFraction = 0.2)
    {
        CheckFraction(validationFraction, nameof(validationFraction));
        ValidationFraction = validationFraction;
        Folds = null;
        ValidationChosen = true;
        return this;
    }

    /// <summary>Validates every trial by k-fold cross-validation on the search rows (slower, steadier on small data).</summary>
    /// <param name="folds">At least 2. The default value is 5.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions CrossValidate(int folds = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        Folds = folds;
        ValidationChosen = true;
        return this;
    }

    /// <summary>Chooses whether the final model is the simplest trial within one standard error of the best (see <see cref="PrefersSimpler"/>).</summary>
    /// <param name="prefer">True for the one-standard-error rule, false for the best validation score. The default value is true.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions PreferSimpler(bool prefer = true)
    {
        PrefersSimpler = prefer;
        return this;
    }

    /// <summary>Chooses whether the final model may be an ensemble of the best trials (see <see cref="BuildsEnsemble"/>).</summary>
    /// <param name="enabled">True to build an ensemble where it scores as well as the best trial (see <see cref="BuildsEnsemble"/>), false for a single trial. The default value is true.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions Ensemble(bool enabled = true)
    {
        BuildsEnsemble = enabled;
        return this;
    }

    /// <summary>Sets the fraction of rows held out as the test set the search never sees.</summary>
    /// <param name="testFraction">In (0, 1). The default value is 0.2.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions Test(double testFraction)
    {
        CheckFraction(testFraction, nameof(testFraction));
        TestFraction = testFraction;
        return this;
    }

    /// <summary>Sets the seed of the splits, the tuner and the trainers.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions WithSeed(int seed)
    {
        Seed = seed;
        return this;
    }

    /// <summary>Limits the search to some trainers of the catalog.</summary>
    /// <param name="names">Trainer names as the catalog lists them (for example <c>LightGbm</c>, <c>FastForest</c>); checked when the search starts.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions Trainers(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Length == 0 || names.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Name at least one trainer, and no empty names.", nameof(names));
        }

        TrainerNames = names;
        return this;
    }

    /// <summary>Caps the memory of the cached, featurised search data.</summary>
    /// <param name="bytes">At least 1 MiB.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions MemoryLimit(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1L << 20);
        MemoryLimitBytes = bytes;
        return this;
    }

    /// <summary>Reports progress after every trial.</summary>
    /// <param name="progress">The receiver.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions ReportTo(IProgress<AutoMlProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Progress = progress;
        return this;
    }

    /// <summary>Chooses how trials are proposed.</summary>
    /// <param name="tuner">The tuner.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions UseTuner(AutoMlTuner tuner)
    {
        if (!Enum.IsDefined(tuner))
        {
            throw new ArgumentOutOfRangeException(nameof(tuner), tuner, "Unknown tuner.");
        }

        Tuner = tuner;
        return this;
    }

    /// <summary>
    /// Records the search in MLflow as Databricks AutoML does: a parent run with the best params, test metrics, model and
    /// leaderboard, and one nested run (tag <c>mlflow.parentRunId</c>) per trial with its params and validation metrics.
    /// </summary>
    /// <param name="client">The tracking client.</param>
    /// <param name="experiment">The experiment's name; created when missing.</param>
    /// <param name="runName">The parent run's name; null for a generated one.</param>
    /// <param name="registerAs">A registered model to add the winner to as a new version; null to register nothing.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions Track(MlflowClient client, string experiment, string? runName = null, string? registerAs = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(experiment);
        if (registerAs is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(registerAs);
        }

        TrackingClient = client;
        ExperimentName = experiment;
        RunName = runName;
        RegisteredModelName = registerAs;
        return this;
    }

    /// <summary>Adds a writer whose files are logged as artifacts of the search's run once the winner is known.</summary>
    /// <param name="writer">The writer.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions WriteArtifacts(IAutoMlArtifactWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _artifactWriters.Add(writer);
        return this;
    }

    /// <summary>
    /// Logs the winner as code you can edit under <c>code/</c> of the search's run: a C# console project that retrains it with
    /// the Workflow API and a notebook with data-exploration and training cells (<see cref="CodeGeneration.WorkflowCodeGenerator"/>).
    /// A winner that cannot be written as code (a custom mapping of yours) gets a note saying why instead.
    /// </summary>
    /// <param name="dataPath">The data file the generated code reads (the file the search's data came from).</param>
    /// <param name="format">The file's format.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions GenerateCode(string dataPath, CodeGeneration.DataFileFormat format)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataPath);
        _artifactWriters.Add(new GeneratedCodeWriter(dataPath, format, () => ExperimentName ?? "automl"));
        return this;
    }

    /// <summary>Turns the data-exploration summary of a tracked search on or off (see <see cref="ProfilesData"/>).</summary>
    /// <param name="enabled">Whether to profile the search rows. The default value is true.</param>
    /// <returns>These options.</returns>
    public AutoMlOptions ProfileData(bool enabled = true)
    {
        ProfilesData = enabled;
        return this;
    }

    /// <summary>The time budget in force: <see cref="TimeBudget"/>, else 60 seconds unless <see cref="MaxTrials"/> bounds the search.</summary>
    internal TimeSpan? EffectiveBudget => TimeBudget ?? (MaxTrials is null ? TimeSpan.FromSeconds(60) : null);

    private static void CheckFraction(double fraction, string name)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(name, fraction, "The fraction must be between 0 and 1 (exclusive).");
        }
    }
}
