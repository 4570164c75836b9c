using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Models;
using MlWorkflow.Serving.Protocol;

namespace MlWorkflow.Serving.Scoring;

/// <summary>
/// A loaded mlnet model ready to answer <c>/invocations</c>: its input columns (from its signature, typed by its saved
/// input schema) and what it predicts. Scoring builds an ML.NET data view from the request's columns at run time.
/// </summary>
internal sealed class ScoringModel
{
    /// <summary>Rows between two checks of the request's deadline while predicting.</summary>
    public const int CheckEveryRows = 1024;

    private const string ProbabilitiesParameter = "probabilities";
    private const string SlotNamesKind = "SlotNames";
    private readonly DataViewSchema _schema;
    private readonly string[] _classNames;
    private readonly string[] _otherColumns;

    // Row mappers bound once to the input schema and reused: binding the transformer chain per request costs far more than a prediction.
    private readonly ConcurrentBag<IRowToRowMapper> _mappers = [];
    private readonly bool _canMapRows;

    // The flat tree evaluator of a tree-ensemble regression; null for every other model, which ML.NET evaluates.
    private readonly TreeRegressionPath? _trees;

    // Whether every input column can be read straight from a dataframe_split body's JSON tokens.
    private readonly bool _readsDirectly;

    public ScoringModel(MlnetModel model, bool useTreeEvaluator = true)
    {
        Model = model;
        var columns = new List<InputColumn>();
        var builder = new DataViewSchema.Builder();
        foreach (var name in model.RequiredInputColumns)
        {
            var column = model.InputSchema.GetColumnOrNull(name)
                ?? throw new InvalidDataException($"The model's signature names input column '{name}', which its saved input schema lacks.");
            columns.Add(new InputColumn(name, column.Type));
            builder.AddColumn(name, column.Type);
        }

        Inputs = columns;
        InputNames = columns.Select(c => c.Name).ToArray();
        _schema = builder.ToSchema();
        _canMapRows = model.Transformer.IsRowToRowMapper;
        SchemaText = "[" + string.Join(", ", columns.Select(c => $"'{c.Name}': {c.MlflowType} (required)")) + "]";

        var output = model.Transformer.GetOutputSchema(model.InputSchema);
        var label = output.GetColumnOrNull("PredictedLabel");
        var score = output.GetColumnOrNull("Score");
        var probability = output.GetColumnOrNull("Probability");
        HasProbabilities = false;
        _classNames = [];
        _otherColumns = model.OutputColumns.ToArray();
        if (label is null && score is { Type: NumberDataViewType })
        {
            Task = ModelTask.Regression;
        }
        else if (label is { Type: BooleanDataViewType })
        {
            Task = ModelTask.BinaryClassification;
            HasProbabilities = probability is { Type: NumberDataViewType };
        }
        else if (label is not null && score is { Type: VectorDataViewType { Size: > 0 } scores })
        {
            Task = ModelTask.MulticlassClassification;
            HasProbabilities = true;
            _classNames = ClassNames(score.Value, scores.Size);
        }
        else
        {
            Task = ModelTask.Other;
        }

        _trees = useTreeEvaluator && Task == ModelTask.Regression ? TreeRegressionPath.TryCreate(model.Transformer, _schema) : null;
        _readsDirectly = columns.Count > 0 && columns.All(c => c.IsReadDirectly);
    }

    /// <summary>Whether predictions come from the flat tree evaluator rather than ML.NET's row-by-row path.</summary>
    public bool UsesTreeEvaluator => _trees is not null;

    /// <summary>The flat tree evaluator's path, for the benchmarks' breakdown of a request's cost; null when ML.NET evaluates.</summary>
    internal TreeRegressionPath? TreePath => _trees;

    /// <summary>The schema of the data view built from a request: the signature's columns, in its order.</summary>
    internal DataViewSchema InputSchema => _schema;

    public MlnetModel Model { get; }

    public IReadOnlyList<InputColumn> Inputs { get; }

    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The signature as MLflow's errors show it: <c>['x': double (required), …]</c>.</summary>
    public string SchemaText { get; }

    public ModelTask Task { get; }

    public bool HasProbabilities { get; }

    /// <summary>Checks the table against the signature, predicts and writes <c>{"predictions": …}</c>.</summary>
    /// <exception cref="ScoringException">A missing column, a value that does not convert, a bad parameter, or a model failure.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked every <see cref="CheckEveryRows"/> rows).</exception>
    public void Score(InputTable table, JsonElement? parameters, Utf8JsonWriter writer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var probabilities = Probabilities(parameters);
        var missing = InputNames.Where(n => table.Column(n) is null).ToList();
        if (missing.Count > 0)
        {
            var extra = table.Names.Where(n => !InputNames.Contains(n, StringComparer.Ordinal)).ToList();
            var note = extra.Count > 0 ? $" Note that there were extra inputs: {Excerpt.Names(extra)}" : string.Empty;
            throw ScoringException.Schema($"Failed to enforce schema of data with schema '{Excerpt.Of(SchemaText)}'. Error: Model is missing inputs {Excerpt.Names(missing)}.{note}");
        }

        // Extra columns are left out of the data view: the model sees exactly its signature, in its order.
        var arrays = Inputs.Select(c => c.Convert(table.Column(c.Name)!)).ToArray();
        ScoreColumns(arrays, table.RowCount, probabilities, writer, cancellationToken);
    }

    /// <summary>
    /// Scores a plain <c>dataframe_split</c> body (see <see cref="DataframeSplitReader"/>) read straight into the model's
    /// typed columns, and writes <c>{"predictions": …}</c>; returns false, having written nothing, for any other body,
    /// which <see cref="Score"/> then takes through the general reader.
    /// </summary>
    /// <exception cref="ScoringException">A model failure, as <see cref="Score"/>.</exception>
    public bool TryScoreDataframeSplit(ReadOnlySpan<byte> body, Utf8JsonWriter writer, out int rows, CancellationToken cancellationToken = default)
    {
        rows = 0;
        if (!_readsDirectly || DataframeSplitReader.TryRead(body, Inputs, out var count) is not { } arrays)
        {
            return false;
        }

        rows = count;
        ScoreColumns(arrays, count, probabilities: false, writer, cancellationToken);
        return true;
    }

    private void ScoreColumns(Array[] arrays, int rowCount, bool probabilities, Utf8JsonWriter writer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var view = new ColumnarDataView(_schema, arrays, rowCount);
        try
        {
            writer.WriteStartObject();
            writer.WritePropertyName("predictions");
            if (_trees is not null)
            {
                WriteTreePredictions(view, rowCount, writer, cancellationToken);
            }
            else if (_canMapRows)
            {
                var mapper = _mappers.TryTake(out var pooled) ? pooled : Model.Transformer.GetRowToRowMapper(_schema);
                var columns = OutputColumns(mapper.OutputSchema, probabilities);
                using (var input = view.GetRowCursor(view.Schema))
                using (var output = mapper.GetRow(input, columns))
                {
                    WritePredictions(output, columns, input, probabilities, writer, cancellationToken);
                }

                _mappers.Add(mapper);
            }
            else
            {
                var scored = Model.Transformer.Transform(view);
                var columns = OutputColumns(scored.Schema, probabilities);
                using var cursor = scored.GetRowCursor(columns);
                WritePredictions(cursor, columns, cursor, probabilities, writer, cancellationToken);
            }

            writer.WriteEndObject();
        }
        catch (Exception error) when (error is not ScoringException and not OutOfMemoryException and not OperationCanceledException)
        {
            throw new ScoringException(
                400,
                ScoringException.BadRequest,
                $"Encountered an unexpected error while evaluating the model. Verify that the serialized input Dataframe is compatible with the model for inference. Error: {Excerpt.Of(error.Message)}",
                error);
        }
    }

    /// <summary>A tree-ensemble regression's scores, from the flat evaluator, as ML.NET's float <c>Score</c> would be written.</summary>
    private void WriteTreePredictions(IDataView view, int rows, Utf8JsonWriter writer, CancellationToken cancellationToken)
    {
        var scores = ArrayPool<double>.Shared.Rent(rows);
        try
        {
            _trees!.Predict(view, scores.AsSpan(0, rows), cancellationToken);
            writer.WriteStartArray();
            for (var i = 0; i < rows; i++)
            {
                ValueWriters.WriteNumber(writer, (float)scores[i]);
            }

            writer.WriteEndArray();
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scores);
        }
    }

    private bool Probabilities(JsonElement? parameters)
    {
        if (parameters is not { } p || !p.TryGetProperty(ProbabilitiesParameter, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw ScoringException.Schema($"Invalid parameters found: 'probabilities' must be true or false, not {Excerpt.Short(value.GetRawText())}.");
        }

        if (value.ValueKind == JsonValueKind.True && !HasProbabilities)
        {
            throw ScoringException.Schema($"Invalid parameters found: 'probabilities' is only for classification models with probabilities; this model is a {Task switch { ModelTask.Regression => "regression model", ModelTask.BinaryClassification => "binary classifier without calibrated probabilities", _ => "model of another kind" }}.");
        }

        return value.ValueKind == JsonValueKind.True;
    }

    private DataViewSchema.Column[] OutputColumns(DataViewSchema schema, bool probabilities)
    {
        string[] wanted = Task switch
        {
            ModelTask.Regression => ["Score"],
            ModelTask.BinaryClassification => probabilities ? ["PredictedLabel", "Probability"] : ["PredictedLabel"],
            ModelTask.MulticlassClassification => probabilities ? ["PredictedLabel", "Score"] : ["PredictedLabel"],
            _ => _otherColumns,
        };
        return wanted.Select(n => schema[n]).ToArray();
    }

    /// <summary>Writes the predictions of <paramref name="row"/>, moving through the rows with <paramref name="rows"/> (the same cursor, or the input one under a row mapper).</summary>
    private void WritePredictions(DataViewRow row, DataViewSchema.Column[] columns, DataViewRowCursor rows, bool probabilities, Utf8JsonWriter writer, CancellationToken cancellationToken)
    {
        var count = 0;
        var values = columns.Select((c, i) => Task == ModelTask.MulticlassClassification && i == 1 ? ValueWriters.CreateNamed(row, c, _classNames) : ValueWriters.Create(row, c)).ToArray();
        writer.WriteStartArray();
        while (rows.MoveNext())
        {
            if (++count % CheckEveryRows == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (Task == ModelTask.Regression || (!probabilities && Task != ModelTask.Other))
            {
                values[0](writer);
                continue;
            }

            writer.WriteStartObject();
            switch (Task)
            {
                case ModelTask.BinaryClassification:
                    writer.WritePropertyName("label");
                    values[0](writer);
                    writer.WritePropertyName("probability");
                    values[1](writer);
                    break;
                case ModelTask.MulticlassClassification:
                    writer.WritePropertyName("label");
                    values[0](writer);
                    writer.WritePropertyName("probabilities");
                    values[1](writer);
                    break;
                default:
                    for (var i = 0; i < columns.Length; i++)
                    {
                        writer.WritePropertyName(columns[i].Name);
                        values[i](writer);
                    }

                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static string[] ClassNames(DataViewSchema.Column score, int size)
    {
        var names = Enumerable.Range(0, size).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var slotNames = score.Annotations.Schema.GetColumnOrNull(SlotNamesKind);
        if (slotNames is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> buffer = default;
            score.Annotations.GetValue(SlotNamesKind, ref buffer);
            var dense = buffer.DenseValues().ToArray();
            if (dense.Length == size && dense.All(n => !n.IsEmpty))
            {
                names = dense.Select(n => n.ToString()).ToArray();
            }
        }

        return names;
    }
}
