using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

using MlWorkflow.Cli.Commands;

namespace MlWorkflow.Cli.Projects;

/// <summary>A parameter of an entry point: its type (<c>float</c>, <c>int</c>, <c>string</c>, <c>path</c>, <c>uri</c>) and default, if any.</summary>
internal sealed record ProjectParameter(string Name, string Type, string? Default);

/// <summary>An entry point: its parameters, in file order, and its command with <c>{name}</c> placeholders.</summary>
internal sealed record EntryPoint(string Name, IReadOnlyList<ProjectParameter> Parameters, string Command);

/// <summary>
/// An <c>MLproject</c> file, in MLflow's format (https://mlflow.org/docs/latest/projects.html#mlproject-file): a name,
/// at most one environment (<c>python_env</c>, <c>conda_env</c>, <c>docker_env</c>) and entry points.
/// </summary>
internal sealed class MlProject
{
    private static readonly string[] Types = ["float", "int", "string", "path", "uri"];
    private static readonly string[] EnvironmentKeys = ["python_env", "conda_env", "docker_env"];

    private MlProject(string directory, string? name, string? environment, IReadOnlyDictionary<string, EntryPoint> entryPoints)
    {
        Directory = directory;
        Name = name;
        Environment = environment;
        EntryPoints = entryPoints;
    }

    public string Directory { get; }

    public string? Name { get; }

    /// <summary><c>python_env</c>, <c>conda_env</c>, <c>docker_env</c>, or null for none (a .NET or shell project).</summary>
    public string? Environment { get; }

    public IReadOnlyDictionary<string, EntryPoint> EntryPoints { get; }

    /// <summary>Reads the project in a folder: the first file whose lower-cased name is <c>mlproject</c>, as MLflow finds it.</summary>
    public static MlProject Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ProjectException($"'{ServerCommand.Quote(directory)}' is not a folder.");
        }

        var file = System.IO.Directory.EnumerateFiles(directory).FirstOrDefault(f => Path.GetFileName(f).Equals("mlproject", StringComparison.OrdinalIgnoreCase));
        if (file is null)
        {
            throw new ProjectException($"No MLproject file in '{ServerCommand.Quote(directory)}'.");
        }

        YamlMappingNode root;
        try
        {
            using var reader = new StreamReader(file);
            var stream = new YamlStream();
            stream.Load(reader);
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode ?? throw new ProjectException("The MLproject file is not a YAML mapping.");
        }
        catch (YamlException e)
        {
            throw new ProjectException($"The MLproject file is not valid YAML (line {e.Start.Line}): {ServerCommand.Quote(e.Message)}");
        }

        var environments = EnvironmentKeys.Where(k => root.Children.ContainsKey(new YamlScalarNode(k))).ToList();
        if (environments.Count > 1)
        {
            throw new ProjectException($"Project cannot contain multiple environment fields: {string.Join(", ", environments)}.");
        }

        var entryPoints = new Dictionary<string, EntryPoint>(StringComparer.Ordinal);
        if (root.Children.TryGetValue(new YamlScalarNode("entry_points"), out var node) && node is YamlMappingNode points)
        {
            foreach (var (key, value) in points.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                entryPoints[name] = ReadEntryPoint(name, value);
            }
        }

        return new MlProject(Path.GetFullPath(directory), Scalar(root, "name"), environments.SingleOrDefault(), entryPoints);
    }

    private static EntryPoint ReadEntryPoint(string name, YamlNode node)
    {
        if (node is not YamlMappingNode map || Scalar(map, "command") is not { Length: > 0 } command)
        {
            throw new ProjectException($"Entry point '{ServerCommand.Quote(name)}' has no command.");
        }

        var parameters = new List<ProjectParameter>();
        if (map.Children.TryGetValue(new YamlScalarNode("parameters"), out var list) && list is YamlMappingNode declared)
        {
            foreach (var (key, value) in declared.Children)
            {
                var parameter = ((YamlScalarNode)key).Value!;

                // Short form `alpha: float` (no default, so required), or a map with `type` (default string) and `default`.
                var (type, @default) = value switch
                {
                    YamlScalarNode scalar => (scalar.Value ?? "string", null),
                    YamlMappingNode m => (Scalar(m, "type") ?? "string", Scalar(m, "default")),
                    _ => throw new ProjectException($"Parameter '{ServerCommand.Quote(parameter)}' of entry point '{ServerCommand.Quote(name)}' is neither a type nor a map."),
                };
                if (!Types.Contains(type))
                {
                    throw new ProjectException($"Parameter '{ServerCommand.Quote(parameter)}' of entry point '{ServerCommand.Quote(name)}' has type '{ServerCommand.Quote(type)}'; the types are {string.Join(", ", Types)}.");
                }

                parameters.Add(new ProjectParameter(parameter, type, @default));
            }
        }

        return new EntryPoint(name, parameters, command);
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: var text } ? text : null;

}

/// <summary>A project that cannot run as asked: a clear message, nothing started.</summary>
internal sealed class ProjectException(string message) : Exception(message);
