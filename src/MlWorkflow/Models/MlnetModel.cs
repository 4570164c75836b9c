using System.Reflection;
using System.Text;
using Microsoft.ML;

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
    }

    /// <summary>The model folder.</summary>
    public string Folder { get; }

    /// <summary>The context the model was loaded into.</summary>
    public MLContext MLContext { get; }

    /// <summary>The fitted ML.NET model.</summary>
    public ITransformer Transformer { get; }

    /// <summary>The input schema saved with the model.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The <c>MLmodel</c> metadata.</summary>
    public MlModelFile Metadata { get; }

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
        var transformer = mlContext.Model.Load(modelPath, out var inputSchema);
        return new MlnetModel(root, mlContext, transformer, inputSchema, metadata);
    }

    /// <summary>Scores data (lazily, as ML.NET does).</summary>
    /// <param name="data">Data with the signature's input columns.</param>
    /// <returns>The data with the prediction columns added.</returns>
    public IDataView Predict(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Transformer.Transform(data);
    }

    /// <summary>Scores objects: the public fields or properties of <typeparamref name="TInput"/> name the input columns, those of <typeparamref name="TOutput"/> the columns read back.</summary>
    /// <typeparam name="TInput">The input row class.</typeparam>
    /// <typeparam name="TOutput">The prediction class (for example with a <c>Score</c> property).</typeparam>
    /// <param name="rows">The rows.</param>
    /// <returns>One prediction per row, in order.</returns>
    public IReadOnlyList<TOutput> Predict<TInput, TOutput>(IEnumerable<TInput> rows)
        where TInput : class
        where TOutput : class, new()
    {
        ArgumentNullException.ThrowIfNull(rows);
        var data = MLContext.Data.LoadFromEnumerable(rows);
        return MLContext.Data.CreateEnumerable<TOutput>(Transformer.Transform(data), reuseRowObject: false).ToList();
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
