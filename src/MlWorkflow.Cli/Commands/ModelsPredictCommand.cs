using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MlWorkflow.Data;
using MlWorkflow.Models;
using MlWorkflow.Serving.Batch;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Cli.Commands;

/// <summary><c>mlw models predict</c>: scores a CSV or Parquet file with a model into a CSV or Parquet file, streaming (as <c>mlflow models predict</c>).</summary>
internal static class ModelsPredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model-uri", "-m") { Description = "The model: models:/Name/Production, models:/Name@alias, models:/Name/3, runs:/<run id>/model or a model folder.", Required = true };
        var input = new Option<string>("--input-path", "-i") { Description = "The rows to score: a .csv file, a .parquet file or a folder of Parquet part files.", Required = true };
        var output = new Option<string>("--output-path", "-o") { Description = "The file to write: .parquet or .csv (created or replaced whole at the end).", Required = true };
        var keep = new Option<string>("--keep-columns") { Description = "The input columns written before the predictions: all, none, or a comma-separated list.", DefaultValueFactory = _ => "all" };
        var predictionColumn = new Option<string>("--prediction-column") { Description = "The name of the prediction column.", DefaultValueFactory = _ => BatchScoringOptions.DefaultPredictionColumn };
        var probabilities = new Option<bool>("--probabilities") { Description = "Write a classifier's probabilities too (probability, or probabilities.0, .1, ...)." };
        var command = new Command("predict", "Score a CSV or Parquet file with a model into a CSV or Parquet file, streaming (memory stays bounded); input columns first, then the predictions.")
        {
            model, input, output, keep, predictionColumn, probabilities,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var modelUri = parse.GetValue(model)!;
            var inputPath = parse.GetValue(input)!;
            var outputPath = parse.GetValue(output)!;
            var source = Source(inputPath);
            var options = new BatchScoringOptions
            {
                KeepColumns = KeepColumns(parse.GetValue(keep)!),
                PredictionColumn = string.IsNullOrWhiteSpace(parse.GetValue(predictionColumn)) ? throw new UsageException("--prediction-column is empty: give the prediction column a name.") : parse.GetValue(predictionColumn)!,
                Probabilities = parse.GetValue(probabilities),
            };
            CheckOutput(outputPath, inputPath);

            await using var client = GlobalOptions.CreateClient(parse);
            var (loaded, version) = await LoadAsync(client, modelUri, cancellationToken).ConfigureAwait(false);
            var progress = new ProgressLine();
            BatchScoringResult result;
            try
            {
                result = await BatchScoring.ScoreAsync(loaded, source, outputPath, options, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                progress.End();
            }

            var seconds = Math.Max(result.Elapsed.TotalSeconds, 1e-3);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Scored {result.Rows:N0} rows with {ServerCommand.Quote(modelUri)}{(version is { } v ? $" (version {v})" : "")} in {seconds:0.0} s ({result.Rows / seconds:N0} rows/s); wrote {ServerCommand.Quote(result.OutputPath)} with columns {ServerCommand.Quote(string.Join(", ", result.Columns))}."));
            return CliApp.Ok;
        });
        return command;
    }

    private static IDataSource Source(string path)
    {
        if (Directory.Exists(path))
        {
            return DataSource.Parquet(path);
        }

        var extension = Path.GetExtension(path);
        var csv = extension.Equals(".csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--input-path '{ServerCommand.Quote(path)}' is neither a .csv nor a .parquet file (nor a folder of Parquet files).");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"--input-path '{ServerCommand.Quote(path)}' is not a file.");
        }

        return csv ? DataSource.Csv(path) : DataSource.Parquet(path);
    }

    private static void CheckOutput(string output, string input)
    {
        var extension = Path.GetExtension(output);
        if (!extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) && !extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--output-path '{ServerCommand.Quote(output)}' is neither a .csv nor a .parquet file; name it out.parquet or out.csv.");
        }

        if (Directory.Exists(output))
        {
            throw new UsageException($"--output-path '{ServerCommand.Quote(output)}' is a folder; give a file name.");
        }

        if (Path.GetDirectoryName(Path.GetFullPath(output)) is { } folder && !Directory.Exists(folder))
        {
            throw new UsageException($"--output-path: the folder '{ServerCommand.Quote(folder)}' does not exist; create it first.");
        }

        if (string.Equals(Path.GetFullPath(output), Path.GetFullPath(input), StringComparison.Ordinal))
        {
            throw new UsageException("--output-path is the input file; write the predictions to another file.");
        }
    }

    private static List<string>? KeepColumns(string value) => value.Trim() switch
    {
        "all" or "" => null,
        "none" => [],
        var list => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
    };

    /// <summary>Loads the model; a <c>models:/</c> URI is resolved first so that the version scored with can be named.</summary>
    private static async Task<(MlnetModel Model, int? Version)> LoadAsync(Tracking.MlflowClient client, string uri, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw new UsageException("--model-uri is empty: give a model, e.g. -m models:/Name/Production or -m runs:/<run id>/model.");
        }

        if (ModelUri.IsModelsUri(uri))
        {
            var version = await client.Registry.GetModelVersionAsync(uri, cancellationToken).ConfigureAwait(false);
            return (await client.LoadMlnetModelAsync($"models:/{version.Name}/{version.Version}", cancellationToken: cancellationToken).ConfigureAwait(false), version.Version);
        }

        return (await client.LoadMlnetModelAsync(uri, cancellationToken: cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>One line on stderr rewritten in place at most four times a second; nothing when stderr is redirected (a log is no place for it).</summary>
    private sealed class ProgressLine : IProgress<BatchScoringProgress>
    {
        private readonly bool _shown = !Console.IsErrorRedirected;
        private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
        private bool _written;

        public void Report(BatchScoringProgress value)
        {
            if (!_shown || (_written && _sinceLast.ElapsedMilliseconds < 250))
            {
                return;
            }

            var seconds = Math.Max(value.Elapsed.TotalSeconds, 1e-3);
            var share = value.TotalRows is > 0 and var total ? string.Create(CultureInfo.InvariantCulture, $" of {total:N0} ({100.0 * value.Rows / total:0}%)") : "";
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\rscored {value.Rows:N0} rows{share}, {value.Rows / seconds:N0} rows/s   "));
            _written = true;
            _sinceLast.Restart();
        }

        public void End()
        {
            if (_written)
            {
                Console.Error.WriteLine();
            }
        }
    }
}
