using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Models;
using MlWorkflow.Serving.Protocol;
using MlWorkflow.Serving.Scoring;

namespace MlWorkflow.Serving.Batch;

/// <summary>
/// Scores a whole data set with an ML.NET model, streaming: rows are read, scored and written as they come (a Parquet row
/// group or a CSV block at a time), so memory stays bounded whatever the input's size. The output holds the input's
/// columns (all by default, see <see cref="BatchScoringOptions.KeepColumns"/>) followed by the prediction columns, as
/// MLflow's <c>spark_udf</c> users get them: see https://mlflow.org/docs/latest/python_api/mlflow.pyfunc.html#mlflow.pyfunc.spark_udf.
/// </summary>
/// <example>
/// <code>
/// var model = await client.LoadMlnetModelAsync("models:/Price/Production");
/// var result = await BatchScoring.ScoreAsync(model, DataSource.Parquet("in.parquet"), "out.parquet", progress: new Progress&lt;BatchScoringProgress&gt;(p =&gt; Console.Error.Write($"\r{p.Rows:N0} rows")));
/// </code>
/// </example>
public static class BatchScoring
{
    // Parquet.Net encodes a row group in memory: smaller groups than DataSink's default keep wide rows within a small heap.
    private const int RowGroupRows = 32_768;

    /// <summary>
    /// The scored rows of <paramref name="input"/> as a lazy view: the kept input columns and the prediction columns,
    /// computed row by row as a cursor moves, so that any sink (<see cref="DataSink"/>, a custom writer) streams them.
    /// Input columns of a numeric type other than the model's (an integer for a float) are converted as MLflow's safe
    /// casts do; the kept copies keep their own type.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="input">The rows to score; they must hold every input column of the model's signature.</param>
    /// <param name="options">The columns to keep and the prediction's name; null for the defaults.</param>
    /// <returns>The output view.</returns>
    /// <exception cref="BatchScoringException">A column the model needs is missing or does not convert, a kept column is missing, or two output columns would share a name.</exception>
    public static IDataView Transform(MlnetModel model, IDataView input, BatchScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        options ??= new BatchScoringOptions();
        return Build(model, input, options, null, CancellationToken.None);
    }

    /// <summary>
    /// Scores every row of <paramref name="input"/> into <paramref name="outputPath"/> (<c>.parquet</c> or <c>.csv</c>, by its
    /// extension), streaming: memory stays bounded for inputs larger than the machine's. The file appears whole or not at
    /// all: it is written beside under a temporary name and moved in place at the end.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="input">The rows to score (<see cref="DataSource.Csv"/>, <see cref="DataSource.Parquet"/>, …).</param>
    /// <param name="outputPath">The file to create or replace; its folder must exist.</param>
    /// <param name="options">The columns to keep, the prediction's name, probabilities and the progress interval; null for the defaults.</param>
    /// <param name="progress">Told the rows scored every <see cref="BatchScoringOptions.ReportEveryRows"/> rows and at the end. The default value is null: no reports.</param>
    /// <param name="cancellationToken">Cancels the scoring; the partial output is deleted.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentException">The output path's extension is neither <c>.parquet</c> nor <c>.csv</c>.</exception>
    /// <exception cref="DirectoryNotFoundException">The output's folder does not exist.</exception>
    /// <exception cref="BatchScoringException">The input does not fit the model (see <see cref="Transform"/>).</exception>
    /// <exception cref="DataSourceException">The input cannot be read, or a column cannot be written.</exception>
    public static async Task<BatchScoringResult> ScoreAsync(MlnetModel model, IDataSource input, string outputPath, BatchScoringOptions? options = null, IProgress<BatchScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        options ??= new BatchScoringOptions();
        var parquet = IsParquet(outputPath);
        var path = Path.GetFullPath(outputPath);
        if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The output's folder '{Excerpt.Of(folder)}' does not exist; create it first.");
        }

        var watch = Stopwatch.StartNew();
        var view = await input.LoadAsync(model.MLContext, cancellationToken).ConfigureAwait(false);
        var total = view.GetRowCount();
        var output = Build(model, view, options, rows => progress?.Report(new BatchScoringProgress(rows, total, watch.Elapsed)), cancellationToken);
        if (parquet)
        {
            await DataSink.WriteParquetAsync(output, path, RowGroupRows, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await DataSink.WriteCsvAsync(output, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var rows = output.RowsRead;
        if (rows == 0 || rows % options.ReportEveryRows != 0)
        {
            // The last report, unless the view has just made it.
            progress?.Report(new BatchScoringProgress(rows, total, watch.Elapsed));
        }

        return new BatchScoringResult(rows, output.Schema.Select(c => c.Name).ToArray(), path, watch.Elapsed);
    }

    /// <summary>Whether a path names a Parquet output (<c>.parquet</c>) rather than CSV (<c>.csv</c>).</summary>
    /// <exception cref="ArgumentException">Neither extension.</exception>
    internal static bool IsParquet(string path)
    {
        var extension = Path.GetExtension(path);
        return extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase) ? true
            : extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? false
            : throw new ArgumentException($"The output '{Excerpt.Short(Path.GetFileName(path), 80)}' is neither a .parquet nor a .csv file; name it out.parquet or out.csv.", nameof(path));
    }

    private static PredictionView Build(MlnetModel model, IDataView input, BatchScoringOptions options, Action<long>? onRows, CancellationToken cancellationToken)
    {
        var scoring = new ScoringModel(model, options.UseTreeEvaluator);
        var converted = Convert(model.MLContext, scoring, input);

        // With the flat tree evaluator only the featurizing transforms run in ML.NET; the trees are walked a chunk at a time.
        var trees = scoring.TreePath;
        var scored = trees is null ? model.Transformer.Transform(converted) : trees.Featurizer.Transform(converted);
        var columns = new List<(DataViewSchema.Column Source, string Name)>();
        var visible = input.Schema.Where(c => !c.IsHidden).Select(c => c.Name).ToList();
        foreach (var name in options.KeepColumns ?? visible)
        {
            var column = input.Schema.GetColumnOrNull(name)
                ?? throw new BatchScoringException($"Cannot keep column '{Excerpt.Short(name)}': the input has no such column. The input's columns: {Excerpt.Names(visible)}.");
            columns.Add((Passed(scored.Schema, column), name));
        }

        TreeScores? treeScores = null;
        if (trees is not null)
        {
            CheckProbabilities(scoring, options);
            treeScores = new TreeScores(scored.Schema[trees.FeatureColumn], trees.Evaluator, trees.Stride, columns.Count);
            columns.Add((scored.Schema[trees.FeatureColumn], options.PredictionColumn));
        }
        else
        {
            columns.AddRange(Predictions(model, scoring, scored.Schema, options));
        }

        var repeated = columns.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            throw new BatchScoringException($"The output would have two columns named {Excerpt.Names(repeated)}: name the prediction otherwise (BatchScoringOptions.PredictionColumn, mlw's --prediction-column) or keep fewer input columns (KeepColumns, --keep-columns).");
        }

        return new PredictionView(scored, columns, treeScores, options.ReportEveryRows, onRows, cancellationToken);
    }

    /// <summary>Converts input columns whose numeric type differs from the model's; anything else that differs is refused, naming the column.</summary>
    private static IDataView Convert(MLContext ml, ScoringModel scoring, IDataView input)
    {
        var missing = scoring.InputNames.Where(n => input.Schema.GetColumnOrNull(n) is null).ToList();
        if (missing.Count > 0)
        {
            var have = input.Schema.Where(c => !c.IsHidden).Select(c => c.Name);
            throw new BatchScoringException($"The input lacks {(missing.Count == 1 ? "column" : "columns")} {Excerpt.Names(missing)}, which the model needs (its signature: {Excerpt.Of(scoring.SchemaText)}). The input's columns: {Excerpt.Names(have)}.");
        }

        var conversions = new List<(string Name, DataKind Kind)>();
        foreach (var wanted in scoring.Inputs)
        {
            var have = input.Schema[wanted.Name].Type;
            if (have.Equals(wanted.Type))
            {
                continue;
            }

            if (IsNumber(have) && Kind(wanted.Type) is { } kind)
            {
                conversions.Add((wanted.Name, kind));
                continue;
            }

            throw new BatchScoringException($"Column '{Excerpt.Short(wanted.Name)}' holds {Describe(have)} values in the input, where the model needs {wanted.MlflowType}: convert the column, or score a file whose column has the model's type.");
        }

        var view = input;
        foreach (var group in conversions.GroupBy(c => c.Kind))
        {
            var pairs = group.Select(c => new InputOutputColumnPair(c.Name, c.Name)).ToArray();
            view = ml.Transforms.Conversion.ConvertType(pairs, group.Key).Fit(view).Transform(view);
        }

        return view;
    }

    /// <summary>
    /// The scored view's copy of an input column. ML.NET's transforms append their columns and keep the input's at the same
    /// index (hidden when replaced), so the index finds the original even when the model rewrites a column of that name.
    /// </summary>
    private static DataViewSchema.Column Passed(DataViewSchema scored, DataViewSchema.Column input)
    {
        if (input.Index < scored.Count && scored[input.Index] is var same && same.Name == input.Name && same.Type.Equals(input.Type))
        {
            return same;
        }

        return scored.LastOrDefault(c => c.Name == input.Name && c.Type.Equals(input.Type)) is { Name: not null } found && found.Type is not null
            ? found
            : throw new BatchScoringException($"The model drops input column '{Excerpt.Short(input.Name)}', so it cannot be kept; leave it out of the kept columns.");
    }

    private static (DataViewSchema.Column Source, string Name)[] Predictions(MlnetModel model, ScoringModel scoring, DataViewSchema scored, BatchScoringOptions options)
    {
        var name = options.PredictionColumn;
        CheckProbabilities(scoring, options);

        return scoring.Task switch
        {
            ModelTask.Regression => [(scored["Score"], name)],
            ModelTask.BinaryClassification when options.Probabilities => [(scored["PredictedLabel"], name), (scored["Probability"], "probability")],
            ModelTask.MulticlassClassification when options.Probabilities => [(scored["PredictedLabel"], name), (scored["Score"], "probabilities")],
            ModelTask.BinaryClassification or ModelTask.MulticlassClassification => [(scored["PredictedLabel"], name)],
            _ => model.OutputColumns.Select(c => (scored[c], c)).ToArray(),
        };
    }

    private static void CheckProbabilities(ScoringModel scoring, BatchScoringOptions options)
    {
        if (options.Probabilities && !scoring.HasProbabilities)
        {
            throw new BatchScoringException($"Probabilities are only for classifiers that compute them; this model is a {scoring.Task switch { ModelTask.Regression => "regression model", ModelTask.BinaryClassification => "binary classifier without calibrated probabilities", _ => "model of another kind" }}.");
        }
    }

    private static bool IsNumber(DataViewType type) => type is NumberDataViewType or BooleanDataViewType;

    private static DataKind? Kind(DataViewType type) =>
        type == NumberDataViewType.Single ? DataKind.Single
        : type == NumberDataViewType.Double ? DataKind.Double
        : type == NumberDataViewType.Int32 ? DataKind.Int32
        : type == NumberDataViewType.Int64 ? DataKind.Int64
        : type is BooleanDataViewType ? DataKind.Boolean
        : null;

    private static string Describe(DataViewType type) => type switch
    {
        TextDataViewType => "text",
        BooleanDataViewType => "boolean",
        VectorDataViewType vector => $"vector ({vector.ItemType})",
        _ => type.ToString() ?? "unknown",
    };
}
