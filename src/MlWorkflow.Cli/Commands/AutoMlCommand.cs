using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MlWorkflow.AutoMl;
using MlWorkflow.Cli.Output;
using MlWorkflow.Data;
using MlWorkflow.Features;
using MlWorkflow.Training;

namespace MlWorkflow.Cli.Commands;

/// <summary>
/// <c>mlw automl</c>: a budgeted AutoML search over a CSV, Parquet or Arrow file, tracked as Databricks AutoML does (a parent
/// run with the winner, one nested run per trial), with live progress on stderr and the leaderboard on stdout.
/// </summary>
internal static class AutoMlCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "The training data: a .csv, .parquet (file or folder of parts) or .arrow file.", Required = true };
        var label = new Option<string>("--label", "-l") { Description = "The column to predict.", Required = true };
        var task = new Option<string?>("--task", "-t") { Description = "regression, binary or multiclass. The default is inferred from the label (numbers: regression, 0/1 or Boolean: binary, text: multiclass)." };
        var time = new Option<double>("--time") { Description = "The time budget in seconds, the final refit included.", DefaultValueFactory = _ => 60 };
        var trials = new Option<int?>("--max-trials") { Description = "The most trials to run. The default is as many as the budget allows." };
        var metric = new Option<string?>("--metric", "-m") { Description = "The metric to optimise, by MLflow's name (rmse, mae, r2, auc, accuracy, log_loss, ...). The default is rmse, auc or log_loss by task." };
        var experiment = new Option<string>("--experiment", "-e") { Description = "The experiment the search is recorded in (created when missing).", DefaultValueFactory = _ => "automl" };
        var folds = new Option<int?>("--folds") { Description = "Validate every trial by k-fold cross-validation. The default lets the search choose: 5 folds (repeated) below 5,000 search rows, else one 20% holdout." };
        var noEnsemble = new Option<bool>("--no-ensemble") { Description = "Refit the best trial alone; by default the final model is an ensemble of the best trials where that scores as well as the best trial on validation, within one standard error, or better (regression and binary)." };
        var testFraction = new Option<double>("--test-fraction") { Description = "The fraction of rows held out as the test set the search never sees.", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "The seed of the splits, the tuner and the trainers.", DefaultValueFactory = _ => 42 };
        var trainers = new Option<string?>("--trainers") { Description = "Comma-separated trainer names to search (for example LightGbm,FastTree). The default is every trainer of the catalog for the task." };
        var register = new Option<string?>("--register") { Description = "Register the winner as a new version of this registered model." };
        var command = new Command("automl", "Search trainers and hyperparameters within a time budget; every trial is a nested MLflow run, the winner is logged (and registered) with its test metrics.")
        {
            data, label, task, time, trials, metric, experiment, folds, testFraction, seed, trainers, register, noEnsemble,
        };
        command.Options.Add(GlobalOptions.TrackingUri);
        command.Options.Add(GlobalOptions.Output);
        command.Validators.Add(result =>
        {
            if (result.GetResult(time) is not null && result.GetValue(time) is not (> 0 and <= 86_400))
            {
                result.AddError("--time must be a number of seconds above 0 (at most 86400).");
            }

            if (result.GetValue(trials) is < 1)
            {
                result.AddError("--max-trials must be at least 1.");
            }

            if (result.GetValue(folds) is < 2)
            {
                result.AddError("--folds must be at least 2.");
            }

            if (result.GetResult(testFraction) is not null && result.GetValue(testFraction) is not (> 0 and < 1))
            {
                result.AddError("--test-fraction must be between 0 and 1 (exclusive).");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = Source(parse.GetValue(data)!);
            await using var client = GlobalOptions.CreateClient(parse);
            var json = GlobalOptions.Json(parse);
            var progress = new LiveProgress(Console.IsErrorRedirected);
            var search = MlWorkflow.Workflow.Create(seed: parse.GetValue(seed))
                .Load(source)
                .Label(parse.GetValue(label)!)
                .AutoMl(o =>
                {
                    o.Budget(TimeSpan.FromSeconds(parse.GetValue(time))).Test(parse.GetValue(testFraction)).ReportTo(progress)
                        .Track(client, parse.GetValue(experiment)!, registerAs: parse.GetValue(register))
                        .GenerateCode(parse.GetValue(data)!, Format(parse.GetValue(data)!));
                    if (parse.GetValue(task) is { } taskName)
                    {
                        o.ForTask(Task(taskName));
                    }

                    if (parse.GetValue(trials) is { } max)
                    {
                        o.Trials(max);
                    }

                    if (parse.GetValue(metric) is { } metricName)
                    {
                        o.Metric(metricName);
                    }

                    if (parse.GetValue(folds) is { } k)
                    {
                        o.CrossValidate(k);
                    }

                    if (parse.GetValue(noEnsemble))
                    {
                        o.Ensemble(false);
                    }

                    if (parse.GetValue(trainers) is { } names)
                    {
                        o.Trainers(names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    }
                });

            AutoMlResult result;
            try
            {
                result = await search.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or WorkflowValidationException or FeatureValidationException or DataSourceException)
            {
                progress.Finish();
                throw new UsageException(e.Message);
            }
            catch (AutoMlException e)
            {
                progress.Finish();
                Console.Error.WriteLine($"mlw: {e.Message}");
                return CliApp.Failed;
            }

            progress.Finish();
            using (result)
            {
                Print(result, json);
            }

            return CliApp.Ok;
        });
        return command;
    }

    private static IDataSource Source(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new UsageException("--data is empty: give a .csv, .parquet or .arrow file.");
        }

        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new UsageException($"--data: no such file or folder: {ServerCommand.Quote(path)}.");
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" => DataSource.Csv(path),
            ".parquet" => DataSource.Parquet(path),
            ".arrow" or ".feather" or ".ipc" => DataSource.Arrow(path),
            _ when Directory.Exists(path) => DataSource.Parquet(path),
            _ => throw new UsageException($"--data: cannot tell the format of {ServerCommand.Quote(path)}; use a .csv, .parquet or .arrow file."),
        };
    }

    private static CodeGeneration.DataFileFormat Format(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => CodeGeneration.DataFileFormat.Csv,
        ".arrow" or ".feather" or ".ipc" => CodeGeneration.DataFileFormat.Arrow,
        _ => CodeGeneration.DataFileFormat.Parquet,
    };

    private static LearningTask Task(string name) => name.Trim().ToLowerInvariant() switch
    {
        "regression" => LearningTask.Regression,
        "binary" or "binary_classification" or "classification" => LearningTask.BinaryClassification,
        "multiclass" or "multiclass_classification" => LearningTask.MulticlassClassification,
        _ => throw new UsageException($"--task: unknown task {ServerCommand.Quote(name)}; use regression, binary or multiclass."),
    };

    private static void Print(AutoMlResult result, bool json)
    {
        var test = result.TestMetrics.Where(m => double.IsFinite(m.Value) && !m.Key.Contains("_class_", StringComparison.Ordinal)).OrderBy(m => m.Key, StringComparer.Ordinal).ToArray();
        if (json)
        {
            var metrics = new JsonObject();
            foreach (var (key, value) in test)
            {
                metrics[key] = value;
            }

            ConsoleOutput.Json(new JsonObject
            {
                ["run_id"] = result.RunId,
                ["model_uri"] = result.ModelUri,
                ["registered_version"] = result.RegisteredVersion?.Version,
                ["best_trainer"] = result.BestTrainer.ToString(),
                ["metric"] = result.Metric,
                ["validation_score"] = result.ValidationScore,
                ["ensemble"] = result.Ensemble is { } ensemble ? new JsonArray([.. ensemble.Trials.Select((t, i) => (JsonNode)new JsonObject { ["trial"] = t.Number, ["trainer"] = t.Trainer.Name, ["weight"] = ensemble.Weights[i] })]) : null,
                ["test_metrics"] = metrics,
                ["trials"] = result.Trials.Count,
                ["trials_failed"] = result.Trials.Count(t => t.Status != AutoMlTrialStatus.Succeeded),
                ["elapsed_s"] = result.Elapsed.TotalSeconds,
            });
            return;
        }

        ConsoleOutput.Table(
            ["rank", "trial", "trainer", "val_" + result.Metric, "seconds", "run_id"],
            result.Leaderboard.Take(10).Select((t, i) => (IReadOnlyList<string>)
            [
                (i + 1).ToString(CultureInfo.InvariantCulture),
                t.Number.ToString(CultureInfo.InvariantCulture),
                t.Trainer.Name,
                Number(t.ValidationScore!.Value),
                t.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
                t.RunId ?? string.Empty,
            ]));
        Console.Out.WriteLine();
        Console.Out.WriteLine(result.Ensemble is { } chosen
            ? $"Best: an ensemble of {string.Join(", ", chosen.Trials.Select((t, i) => string.Create(CultureInfo.InvariantCulture, $"trial {t.Number} {t.Trainer.Name} (weight {chosen.Weights[i]:0.##})")))}, val_{result.Metric} {Number(chosen.ValidationScore)}"
            : $"Best: {result.BestTrainer}");
        Console.Out.WriteLine($"Test metrics ({(int)result.TestMetrics[Evaluation.MetricNames.ExampleCount]} rows the search never saw): "
            + string.Join(", ", test.Where(m => m.Key != Evaluation.MetricNames.ExampleCount).Select(m => $"{m.Key} {Number(m.Value)}")));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Trials.Count} trials in {result.Elapsed.TotalSeconds:F1} s; run {result.RunId}, model {result.ModelUri}"));
        if (result.RegisteredVersion is { } version)
        {
            Console.Out.WriteLine($"Registered as {version.Name} version {version.Version}.");
        }
    }

    private static string Number(double value) => value.ToString("G5", CultureInfo.InvariantCulture);

    /// <summary>The live display on stderr: one line redrawn in a terminal, one line per trial when stderr is redirected.</summary>
    private sealed class LiveProgress(bool redirected) : IProgress<AutoMlProgress>
    {
        private readonly Lock _gate = new();
        private int _width;

        public void Report(AutoMlProgress value)
        {
            var best = value.BestScore is { } score ? $"best {value.Metric} {Number(score)} ({value.BestTrainer})" : "no model yet";
            var left = value.Remaining is { } remaining ? string.Create(CultureInfo.InvariantCulture, $", {remaining.TotalSeconds:F0} s left") : string.Empty;
            var last = value.LastTrial;
            var lastText = last.ValidationScore is { } s ? Number(s) : last.Status.ToString().ToLowerInvariant();
            var line = string.Create(CultureInfo.InvariantCulture, $"[trial {value.TrialsCompleted}] {best}{left}; last {last.Trainer.Name} {lastText}");
            lock (_gate)
            {
                if (redirected)
                {
                    Console.Error.WriteLine(line);
                    return;
                }

                Console.Error.Write("\r" + line.PadRight(_width));
                _width = Math.Max(_width, line.Length);
            }
        }

        public void Finish()
        {
            lock (_gate)
            {
                if (!redirected && _width > 0)
                {
                    Console.Error.WriteLine();
                }
            }
        }
    }
}
