using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;

namespace MlWorkflow.Models;

/// <summary>
/// An ML.NET model in MLflow's model format, flavor <c>mlnet</c>: a folder with <c>MLmodel</c>, <c>model.zip</c>
/// (ML.NET's own file, with the input schema) and optionally <c>input_example.json</c>. <see cref="Save"/> writes
/// one; <see cref="Load"/> reads it back to predict.
/// </summary>
public sealed class MlnetModel
{
    /// <summary>The ML.NET model's file name.</summary>
    public const string ModelFileName = "model.zip";

    /// <summary>The input example's file name.</summary>
    public const string InputExampleFileName = "input_example.json";

    private static readonly string[] PredictionColumns = ["PredictedLabel", "Score", "Probability"];

    private MlnetModel(string folder, MLContext mlContext, ITransformer transformer, DataViewSchema inputSchema, MlModelFile metadata)
    {
        Folder = folder;
        MLContext = mlContext;
        Transformer = transformer;
        InputSchema = inputSchema;
        Metadata = metadata;
        RequiredInputColumns = SignatureNames(metadata.SignatureInputs) ?? inputSchema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray();
        try
        {
            OutputColumns = transformer.GetOutputSchema(inputSchema)
                .Where(c => !c.IsHidden && (inputSchema.GetColumnOrNull(c.Name) is null || PredictionColumns.Contains(c.Name)))
                .Select(c => c.Name).Distinct().ToArray();
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            OutputColumns = [];
        }

        LabelMapping = LabelMapping.FromModel(transformer, inputSchema);
    }

    /// <summary>The model folder it was loaded from (for a model downloaded from a remote store, a temporary folder already deleted).</summary>
    public string Folder { get; }

    /// <summary>The context the model was loaded into.</summary>
    public MLContext MLContext { get; }

    /// <summary>The fitted ML.NET model.</summary>
    public ITransformer Transformer { get; }

    /// <summary>The input schema saved with the model.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The <c>MLmodel</c> metadata.</summary>
    public MlModelFile Metadata { get; }

    /// <summary>The columns data must have to be scored: the signature's inputs (or, without a signature, the saved input schema's columns).</summary>
    public IReadOnlyList<string> RequiredInputColumns { get; }

    /// <summary>The columns the model writes (for example <c>Score</c>, <c>PredictedLabel</c>, <c>Probability</c>).</summary>
    public IReadOnlyList<string> OutputColumns { get; }

    /// <summary>
    /// A multiclass model's classes, in the order of its keys and <c>Score</c> slots (sorted by value for models a workflow
    /// trained); null for other models. <see cref="ModelEvaluator"/> maps new data's labels with it.
    /// </summary>
    public LabelMapping? LabelMapping { get; }

    /// <summary>The version of ML.NET in use, as written to <c>mlnet_version</c>.</summary>
    public static string MlnetVersion { get; } = ReadMlnetVersion();

    /// <summary>
    /// Saves a fitted model as an MLflow model folder. The folder must not exist or be empty.
    /// </summary>
    /// <param name="folder">The folder to create.</param>
    /// <param name="mlContext">The context the model was trained in.</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="inputSchema">The schema of the data the model takes.</param>
    /// <param name="options">Run id, artifact path, signature inputs and input example. The default is none of them.</param>
    /// <returns>The metadata written to <c>MLmodel</c>.</returns>
    /// <exception cref="IOException">The folder exists and is not empty.</exception>
    public static MlModelFile Save(string folder, MLContext mlContext, ITransformer model, DataViewSchema inputSchema, MlnetModelSaveOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        options ??= new MlnetModelSaveOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InputExampleRows, 1);
        var root = Path.GetFullPath(folder);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new IOException($"The model folder '{root}' already exists and is not empty.");
        }

        var inputNames = options.InputColumns ?? inputSchema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray();
        foreach (var name in inputNames)
        {
            if (inputSchema.GetColumnOrNull(name) is null)
            {
                throw new ArgumentException($"Signature input column '{name}' is not in the input schema.", nameof(options));
            }
        }

        Directory.CreateDirectory(root);
        mlContext.Model.Save(model, inputSchema, Path.Combine(root, ModelFileName));

        var inputs = ColumnSpecs.ToJson(inputNames.Select(n => inputSchema[n]));
        string? outputs = null;
        try
        {
            var outputSchema = model.GetOutputSchema(inputSchema);
            var predicted = outputSchema.Where(c => !c.IsHidden && PredictionColumns.Contains(c.Name)).ToArray();
            outputs = ColumnSpecs.ToJson(predicted.Length > 0 ? predicted : outputSchema.Where(c => !c.IsHidden && inputSchema.GetColumnOrNull(c.Name) is null));
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            // A model that needs columns the input schema lacks has no output signature; the inputs still stand.
        }

        string? example = null;
        if (options.InputExample is { } exampleData)
        {
            var rows = DataViewRows.Read(exampleData, inputNames, options.InputExampleRows);
            var json = PythonStyleJson.Write(new List<KeyValuePair<string, object?>>
            {
                new("columns", inputNames.ToList()),
                new("data", rows.Select(r => (object?)r.ToList()).ToList()),
            });
            File.WriteAllText(Path.Combine(root, InputExampleFileName), json, new UTF8Encoding(false));
            example = InputExampleFileName;
        }

        var metadata = new MlModelFile
        {
            ArtifactPath = options.ArtifactPath,
            RunId = options.RunId,
            UtcTimeCreated = MlModelFile.FormatTime(options.TimeProvider.GetUtcNow()),
            ModelUuid = Guid.NewGuid().ToString("N"),
            MlnetVersion = MlnetVersion,
            TargetFramework = $"net{Environment.Version.Major}.{Environment.Version.Minor}",
            SignatureInputs = inputs,
            SignatureOutputs = outputs,
            InputExampleFile = example,
            ModelSizeBytes = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length),
        };
        File.WriteAllText(Path.Combine(root, MlModelFile.FileName), metadata.ToYaml(), new UTF8Encoding(false));
        return metadata;
    }

    /// <summary>Loads a model folder written by <see cref="Save"/> (or any MLflow model with the <c>mlnet</c> flavor).</summary>
    /// <param name="folder">The model folder (the one holding <c>MLmodel</c>).</param>
    /// <param name="mlContext">The context to load into. The default is a new one.</param>
    /// <returns>The model.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder has no MLmodel or no model file.</exception>
    /// <exception cref="InvalidDataException">MLmodel is not an ML.NET model's, or names a file outside the folder.</exception>
    public static MlnetModel Load(string folder, MLContext? mlContext = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Model folder '{root}' does not exist.");
        }

        var metadataPath = Path.Combine(root, MlModelFile.FileName);
        if (!File.Exists(metadataPath))
        {
            throw new FileNotFoundException($"'{root}' is not an MLflow model folder: it has no {MlModelFile.FileName} file.", metadataPath);
        }

        var metadata = MlModelFile.Parse(File.ReadAllText(metadataPath));
        var modelPath = Path.GetFullPath(Path.Combine(root, metadata.ModelFile));
        var relative = Path.GetRelativePath(root, modelPath);
        if (Path.IsPathRooted(metadata.ModelFile) || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new InvalidDataException($"MLmodel names model file '{metadata.ModelFile}', which is outside the model folder.");
        }

        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"The model file '{metadata.ModelFile}' named by MLmodel is missing.", modelPath);
        }

        mlContext ??= new MLContext();

        // The feature steps' own row mappings (date parts) are reloaded by contract name from this assembly.
        mlContext.ComponentCatalog.RegisterAssembly(typeof(MlnetModel).Assembly);
        var transformer = mlContext.Model.Load(modelPath, out var inputSchema);
        return new MlnetModel(root, mlContext, transformer, inputSchema, metadata);
    }

    /// <summary>
    /// Scores data (lazily, as ML.NET does). The data is read with the model's input types: a column that is a whole number
    /// or Single here but Double in the training data (it had missing values there) is widened, and whole numbers to wider ones.
    /// </summary>
    /// <param name="data">Data with the signature's input columns (<see cref="RequiredInputColumns"/>).</param>
    /// <returns>The data with the prediction columns added.</returns>
    /// <exception cref="ModelSchemaException">The data lacks an input column, or ML.NET cannot read one.</exception>
    /// <exception cref="ColumnTypeMismatchException">An input column's type cannot be converted safely to the model's (Text for Double, Double for Int32...); the message names the column and both types.</exception>
    public IDataView Predict(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var missing = RequiredInputColumns.Where(c => data.Schema.GetColumnOrNull(c) is null).ToArray();
        if (missing.Length > 0)
        {
            throw SchemaError($"The data lacks the model's input column(s) {Names(missing)}.", missing, null);
        }

        data = SchemaAlignment.Align(MLContext, data, InputSchema, RequiredInputColumns);
        try
        {
            return Transformer.Transform(data);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            throw SchemaError($"The model cannot read the data: {Quote(error.Message)}.", [], error);
        }
    }

    /// <summary>
    /// Scores objects: the public fields or properties of <typeparamref name="TInput"/> name the input columns, those of
    /// <typeparamref name="TOutput"/> the columns read back. For example, with
    /// <c>class Car { public float displ; public string trans; ... }</c> and <c>class Prediction { public float Score; }</c>:
    /// <c>model.Predict&lt;Car, Prediction&gt;(cars)</c>.
    /// </summary>
    /// <typeparam name="TInput">The input row class: a field or property per <see cref="RequiredInputColumns"/> entry (more are ignored).</typeparam>
    /// <typeparam name="TOutput">The prediction class: fields or properties named after <see cref="OutputColumns"/> (for example <c>Score</c>).</typeparam>
    /// <param name="rows">The rows.</param>
    /// <returns>One prediction per row, in order.</returns>
    /// <exception cref="ModelSchemaException"><typeparamref name="TInput"/> lacks an input column, or <typeparamref name="TOutput"/> asks for a column the model does not write.</exception>
    public IReadOnlyList<TOutput> Predict<TInput, TOutput>(IEnumerable<TInput> rows)
        where TInput : class
        where TOutput : class, new()
    {
        ArgumentNullException.ThrowIfNull(rows);
        var scored = Predict(MLContext.Data.LoadFromEnumerable(rows));
        var wanted = SchemaDefinition.Create(typeof(TOutput), SchemaDefinition.Direction.Write).Select(c => c.ColumnName).ToArray();
        var missing = wanted.Where(c => scored.Schema.GetColumnOrNull(c) is null).ToArray();
        if (missing.Length > 0)
        {
            throw SchemaError($"{typeof(TOutput).Name} asks for column(s) {Names(missing)}, which the model does not write.", missing, null);
        }

        try
        {
            return MLContext.Data.CreateEnumerable<TOutput>(scored, reuseRowObject: false).ToList();
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            throw SchemaError($"{typeof(TOutput).Name} cannot hold the model's output: {Quote(error.Message)}.", [], error);
        }
    }

    private ModelSchemaException SchemaError(string problem, IReadOnlyList<string> missing, Exception? inner) =>
        new(
            $"{problem} The model reads {Names(RequiredInputColumns)} and writes {Names(OutputColumns)}.",
            missing,
            RequiredInputColumns,
            OutputColumns,
            inner);

    private static string Names(IEnumerable<string> names)
    {
        var all = names.ToArray();
        return all.Length == 0 ? "(none)" : Quote(string.Join(", ", all.Select(n => $"'{n}'")));
    }

    private static string Quote(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 199), "…");

    private static string[]? SignatureNames(string? signatureJson)
    {
        if (signatureJson is null)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(signatureJson);
            if (json.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var names = json.RootElement.EnumerateArray()
                .Select(spec => spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("name", out var name) ? name.GetString() : null)
                .ToArray();
            return names.Length > 0 && names.All(n => n is not null) ? names.Select(n => n!).ToArray() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string ReadMlnetVersion()
    {
        var assembly = typeof(MLContext).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
