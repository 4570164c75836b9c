using System.Globalization;
using Microsoft.ML;
using MlWorkflow.Models;
using MlWorkflow.Tracking;

namespace MlWorkflow.Testing.Contracts;

/// <summary>
/// Contract checks on a logged model: its signature accepts golden inputs (and the model scores them), its saved input
/// example scores, and two trainings with one seed give identical metrics (<see cref="CheckDeterminismAsync"/>).
/// </summary>
public static class ModelContract
{
    private const int MaxProblems = 20;

    /// <summary>
    /// Checks a logged model against golden inputs: every input column of its signature is there with the type the model
    /// was trained on, no column is there that the signature does not have (but those ignored, such as the label), and the
    /// model scores every row.
    /// </summary>
    /// <param name="client">The client that resolves <c>runs:/</c> and <c>models:/</c> URIs.</param>
    /// <param name="modelUri">The model: <c>runs:/&lt;run id&gt;/model</c>, <c>models:/Name/Production</c>, <c>models:/Name@champion</c>, a folder...</param>
    /// <param name="inputs">The golden inputs.</param>
    /// <param name="ignoredColumns">Columns of the inputs the signature need not have, such as the label. The default value is null (none).</param>
    /// <param name="cancellationToken">Cancels loading the model.</param>
    /// <returns>The outcome, naming each missing, extra or mistyped column, or the scoring error.</returns>
    public static async Task<ContractCheckResult> CheckInputsAsync(
        MlflowClient client, string modelUri, IDataView inputs, IEnumerable<string>? ignoredColumns = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(modelUri);
        ArgumentNullException.ThrowIfNull(inputs);
        var model = await client.LoadMlnetModelAsync(modelUri, new MLContext(seed: 0), cancellationToken).ConfigureAwait(false);
        return CheckInputs(model, inputs, ignoredColumns ?? [], $"Model '{Excerpt(modelUri)}' on the golden inputs");
    }

    /// <summary>Checks that a logged model's saved input example (<c>input_example.json</c>) matches its signature and scores.</summary>
    /// <param name="client">The client that resolves <c>runs:/</c> and <c>models:/</c> URIs.</param>
    /// <param name="modelUri">The model's URI.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The outcome; a model logged without an input example fails.</returns>
    public static async Task<ContractCheckResult> CheckInputExampleAsync(MlflowClient client, string modelUri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(modelUri);
        var subject = $"Input example of model '{Excerpt(modelUri)}'";
        var folder = Path.Combine(Path.GetTempPath(), "mlw-contract-" + Guid.NewGuid().ToString("N"));
        try
        {
            var local = await ModelFolders.GetLocalAsync(client, modelUri, folder, cancellationToken).ConfigureAwait(false);
            var model = MlnetModel.Load(local, new MLContext(seed: 0));
            if (model.Metadata.InputExampleFile is not { } file)
            {
                return new ContractCheckResult(subject, ["the model was logged without an input example (saving one needs MlnetModelSaveOptions.InputExample)"]);
            }

            var path = Path.GetFullPath(Path.Combine(local, file));
            if (!path.StartsWith(Path.GetFullPath(local) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
            {
                return new ContractCheckResult(subject, [$"MLmodel names input example '{Excerpt(file)}', which is not a file of the model folder"]);
            }

            IDataView example;
            try
            {
                example = InputExamples.Read(model, await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), folder);
            }
            catch (Exception error) when (error is FormatException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
            {
                return new ContractCheckResult(subject, [$"the input example cannot be read: {Excerpt(error.Message)}"]);
            }

            return CheckInputs(model, example, [], subject);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>
    /// Trains twice with the same code (and so the same seed) and checks that every metric is identical; the failure names each
    /// metric that differs, with both values, and those only one training reported.
    /// </summary>
    /// <param name="train">Trains once and returns the result, such as <c>ct =&gt; Workflow.Create(seed: 42)…RunAsync(ct)</c>; each result is disposed.</param>
    /// <param name="cancellationToken">Cancels the trainings.</param>
    /// <returns>The outcome.</returns>
    public static async Task<ContractCheckResult> CheckDeterminismAsync(Func<CancellationToken, Task<WorkflowResult>> train, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        IReadOnlyDictionary<string, double> first;
        using (var result = await train(cancellationToken).ConfigureAwait(false))
        {
            first = result.Metrics.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        }

        IReadOnlyDictionary<string, double> second;
        using (var result = await train(cancellationToken).ConfigureAwait(false))
        {
            second = result.Metrics.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        }

        return CompareMetrics(first, second);
    }

    /// <summary>Compares the metrics of two trainings that should be identical.</summary>
    /// <param name="first">The first training's metrics.</param>
    /// <param name="second">The second training's metrics.</param>
    /// <returns>The outcome, naming each metric that differs with both values.</returns>
    public static ContractCheckResult CompareMetrics(IReadOnlyDictionary<string, double> first, IReadOnlyDictionary<string, double> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var problems = new List<string>();
        foreach (var name in first.Keys.Union(second.Keys).Order(StringComparer.Ordinal))
        {
            var inFirst = first.TryGetValue(name, out var a);
            var inSecond = second.TryGetValue(name, out var b);
            if (!inFirst || !inSecond)
            {
                problems.Add($"metric '{name}' is only in the {(inFirst ? "first" : "second")} training");
            }
            else if (!a.Equals(b))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"metric '{name}' differs: {a:R} then {b:R}"));
            }
        }

        var subject = string.Create(CultureInfo.InvariantCulture, $"Two trainings with one seed ({first.Count} metrics)");
        return new ContractCheckResult(subject, problems);
    }

    private static ContractCheckResult CheckInputs(MlnetModel model, IDataView inputs, IEnumerable<string> ignoredColumns, string subject)
    {
        var problems = new List<string>();
        var required = new HashSet<string>(model.RequiredInputColumns, StringComparer.Ordinal);
        var ignored = new HashSet<string>(ignoredColumns, StringComparer.Ordinal);
        foreach (var name in model.RequiredInputColumns)
        {
            var expected = model.InputSchema.GetColumnOrNull(name)?.Type;
            var found = inputs.Schema.GetColumnOrNull(name);
            if (found is null)
            {
                problems.Add($"missing column '{name}' ({expected?.ToString() ?? "of any type"})");
            }
            else if (expected is not null && !found.Value.Type.Equals(expected))
            {
                problems.Add($"column '{name}' is {found.Value.Type} but the signature says {expected}");
            }
        }

        foreach (var column in inputs.Schema.Where(c => !c.IsHidden && !required.Contains(c.Name) && !ignored.Contains(c.Name)))
        {
            problems.Add($"extra column '{column.Name}' ({column.Type}) that the signature does not have");
        }

        long rows = 0;
        if (problems.Count == 0)
        {
            try
            {
                var scored = model.Predict(inputs);
                var outputs = scored.Schema.Where(c => !c.IsHidden && inputs.Schema.GetColumnOrNull(c.Name) is null).ToArray();
                using var cursor = scored.GetRowCursor(outputs);
                var getters = outputs.Select(c => Reader(cursor, c)).ToArray();
                while (cursor.MoveNext())
                {
                    foreach (var read in getters)
                    {
                        read();
                    }

                    rows++;
                }
            }
            catch (Exception error) when (error is ModelSchemaException or InvalidOperationException or ArgumentException or FormatException)
            {
                problems.Add($"scoring failed: {Excerpt(error.Message)}");
            }
        }

        var described = problems.Count == 0 ? string.Create(CultureInfo.InvariantCulture, $"{subject} ({rows} {(rows == 1 ? "row" : "rows")} scored)") : subject;
        return new ContractCheckResult(described, problems.Count > MaxProblems ? [.. problems.Take(MaxProblems), $"and {problems.Count - MaxProblems} more"] : problems);
    }

    /// <summary>A reader of one output column, so that the model computes it (ML.NET is lazy).</summary>
    private static Action Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var method = typeof(ModelContract).GetMethod(nameof(TypedReader), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        return (Action)method.MakeGenericMethod(column.Type.RawType).Invoke(null, [cursor, column])!;
    }

    private static Action TypedReader<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var get = cursor.GetGetter<T>(column);
        T value = default!;
        return () => get(ref value);
    }

    private static string Excerpt(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
