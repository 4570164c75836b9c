using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace MlWorkflow.Models;

/// <summary>
/// The content of an <c>MLmodel</c> file with the <c>mlnet</c> flavor (MLflow's model metadata): written as
/// MLflow writes it (block YAML, keys sorted) and read back.
/// </summary>
public sealed record MlModelFile
{
    /// <summary>The file name MLflow requires at a model folder's root.</summary>
    public const string FileName = "MLmodel";

    /// <summary>The flavor name.</summary>
    public const string FlavorName = "mlnet";

    /// <summary>The MLflow version whose format this file follows.</summary>
    public const string MlflowFormatVersion = "2.19.0";

    /// <summary>The run-relative artifact path (for example <c>model</c>), or null when not logged to a run.</summary>
    public string? ArtifactPath { get; init; }

    /// <summary>The run id, or null when not logged to a run.</summary>
    public string? RunId { get; init; }

    /// <summary>Creation time, UTC, as MLflow writes it: <c>YYYY-MM-DD HH:MM:SS.ffffff</c>.</summary>
    public required string UtcTimeCreated { get; init; }

    /// <summary>A 32-hex-digit uuid of this model.</summary>
    public required string ModelUuid { get; init; }

    /// <summary>The ML.NET model file, relative to the folder. The default value is <c>model.zip</c>.</summary>
    public string ModelFile { get; init; } = "model.zip";

    /// <summary>The ML.NET version that saved the model.</summary>
    public required string MlnetVersion { get; init; }

    /// <summary>The .NET runtime that saved it (for example <c>net10.0</c>).</summary>
    public string? TargetFramework { get; init; }

    /// <summary>The signature's inputs: MLflow column-spec JSON, or null.</summary>
    public string? SignatureInputs { get; init; }

    /// <summary>The signature's outputs: MLflow column-spec JSON, or null.</summary>
    public string? SignatureOutputs { get; init; }

    /// <summary>The input example's file (split-orient dataframe), or null when there is none.</summary>
    public string? InputExampleFile { get; init; }

    /// <summary>The model folder's size in bytes (MLmodel excluded), or null.</summary>
    public long? ModelSizeBytes { get; init; }

    /// <summary>MLflow's formatting of a UTC time (<c>str(datetime)</c>).</summary>
    /// <param name="utc">The time.</param>
    /// <returns>The text.</returns>
    public static string FormatTime(DateTimeOffset utc)
    {
        var time = utc.UtcDateTime;
        var microseconds = (time.Ticks % TimeSpan.TicksPerSecond) / 10;
        var text = time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return microseconds == 0 ? text : text + "." + microseconds.ToString("000000", CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>mlnet</c> flavor's configuration, in key order.</summary>
    /// <returns>Key to value.</returns>
    public IReadOnlyList<KeyValuePair<string, object?>> FlavorConfiguration()
    {
        var flavor = new List<KeyValuePair<string, object?>>
        {
            new("mlnet_version", MlnetVersion),
            new("model_file", ModelFile),
        };
        if (TargetFramework is not null)
        {
            flavor.Add(new("target_framework", TargetFramework));
        }

        return flavor;
    }

    /// <summary>The YAML text of the <c>MLmodel</c> file.</summary>
    /// <returns>The YAML.</returns>
    public string ToYaml()
    {
        var yaml = new StringBuilder();
        if (ArtifactPath is not null)
        {
            yaml.Append("artifact_path: ").Append(Quote(ArtifactPath)).Append('\n');
        }

        yaml.Append("flavors:\n  ").Append(FlavorName).Append(":\n");
        foreach (var (key, value) in FlavorConfiguration())
        {
            yaml.Append("    ").Append(key).Append(": ").Append(Quote((string)value!)).Append('\n');
        }

        yaml.Append("mlflow_version: ").Append(MlflowFormatVersion).Append('\n');
        if (ModelSizeBytes is { } size)
        {
            yaml.Append("model_size_bytes: ").Append(size.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        yaml.Append("model_uuid: ").Append(Quote(ModelUuid)).Append('\n');
        if (RunId is not null)
        {
            yaml.Append("run_id: ").Append(Quote(RunId)).Append('\n');
        }

        if (InputExampleFile is not null)
        {
            yaml.Append("saved_input_example_info:\n")
                .Append("  artifact_path: ").Append(Quote(InputExampleFile)).Append('\n')
                .Append("  pandas_orient: split\n")
                .Append("  type: dataframe\n");
        }

        if (SignatureInputs is not null || SignatureOutputs is not null)
        {
            yaml.Append("signature:\n")
                .Append("  inputs: ").Append(SignatureInputs is null ? "null" : SingleQuote(SignatureInputs)).Append('\n')
                .Append("  outputs: ").Append(SignatureOutputs is null ? "null" : SingleQuote(SignatureOutputs)).Append('\n')
                .Append("  params: null\n");
        }

        yaml.Append("utc_time_created: ").Append(SingleQuote(UtcTimeCreated)).Append('\n');
        return yaml.ToString();
    }

    /// <summary>
    /// The JSON MLflow's <c>runs/log-model</c> takes as <c>model_json</c> (and the entry appended to the
    /// <c>mlflow.log-model.history</c> tag): run id, artifact path, time, uuid and flavors, Python-style.
    /// </summary>
    /// <returns>The JSON text.</returns>
    public string ToLogModelJson() => PythonStyleJson.Write(new List<KeyValuePair<string, object?>>
    {
        new("run_id", RunId),
        new("artifact_path", ArtifactPath),
        new("utc_time_created", UtcTimeCreated),
        new("model_uuid", ModelUuid),
        new("flavors", new List<KeyValuePair<string, object?>> { new(FlavorName, FlavorConfiguration()) }),
    });

    /// <summary>Reads an <c>MLmodel</c> file's text.</summary>
    /// <param name="yaml">The YAML.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="InvalidDataException">The text is not an MLmodel with the <c>mlnet</c> flavor.</exception>
    public static MlModelFile Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException error)
        {
            throw new InvalidDataException($"MLmodel is not valid YAML: {error.Message}", error);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidDataException("MLmodel is empty or not a YAML mapping.");
        }

        if (Child(root, "flavors") is not YamlMappingNode flavors || Child(flavors, FlavorName) is not YamlMappingNode flavor)
        {
            throw new InvalidDataException($"MLmodel has no '{FlavorName}' flavor; it is not an ML.NET model.");
        }

        var signature = Child(root, "signature") as YamlMappingNode;
        var example = Child(root, "saved_input_example_info") as YamlMappingNode;
        return new MlModelFile
        {
            ArtifactPath = Text(root, "artifact_path"),
            RunId = Text(root, "run_id"),
            UtcTimeCreated = Text(root, "utc_time_created") ?? throw new InvalidDataException("MLmodel has no utc_time_created."),
            ModelUuid = Text(root, "model_uuid") ?? string.Empty,
            ModelFile = Text(flavor, "model_file") ?? throw new InvalidDataException("The mlnet flavor has no model_file."),
            MlnetVersion = Text(flavor, "mlnet_version") ?? string.Empty,
            TargetFramework = Text(flavor, "target_framework"),
            SignatureInputs = signature is null ? null : Text(signature, "inputs"),
            SignatureOutputs = signature is null ? null : Text(signature, "outputs"),
            InputExampleFile = example is null ? null : Text(example, "artifact_path"),
            ModelSizeBytes = long.TryParse(Text(root, "model_size_bytes"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) ? size : null,
        };
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Text(YamlMappingNode node, string key) =>
        Child(node, key) is YamlScalarNode { Value: var value } scalar && !(scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && value is "null" or "~")
            ? value
            : null;

    // Plain when safe, else single-quoted, as a safe YAML dumper does for strings like ids and versions.
    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/')
            && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && value is not ("null" or "true" or "false" or "yes" or "no" or "on" or "off")
            ? value
            : SingleQuote(value);

    private static string SingleQuote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
