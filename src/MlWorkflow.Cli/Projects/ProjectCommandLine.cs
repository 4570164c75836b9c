using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

using MlWorkflow.Cli.Commands;

namespace MlWorkflow.Cli.Projects;

/// <summary>Checks an entry point's parameters and builds its command, as <c>mlflow run</c> does (values shell-quoted, <c>{name}</c> substituted).</summary>
internal static partial class ProjectCommandLine
{
    /// <summary>Every declared parameter's value (given, else its default) as the text to log; unknown, missing and mistyped values are refused here, before anything runs.</summary>
    public static IReadOnlyList<(ProjectParameter Parameter, string Value)> Resolve(EntryPoint entryPoint, IReadOnlyList<(string Name, string Value)> given)
    {
        var repeated = given.GroupBy(g => g.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new ProjectException($"Repeated parameter: '{ServerCommand.Quote(repeated.Key)}'.");
        }

        var unknown = given.Where(g => !entryPoint.Parameters.Any(p => p.Name == g.Name)).Select(g => g.Name).ToList();
        if (unknown.Count > 0)
        {
            throw new ProjectException($"Unknown parameter(s) for entry point '{entryPoint.Name}': {string.Join(", ", unknown.Select(u => $"'{ServerCommand.Quote(u)}'"))}; it takes {Declared(entryPoint)}.");
        }

        var missing = entryPoint.Parameters.Where(p => p.Default is null && !given.Any(g => g.Name == p.Name)).Select(p => $"'{p.Name}'").ToList();
        if (missing.Count > 0)
        {
            throw new ProjectException($"No value given for missing parameters: {string.Join(", ", missing)}. Pass them with -P name=value.");
        }

        var values = new List<(ProjectParameter, string)>();
        foreach (var parameter in entryPoint.Parameters)
        {
            var value = given.Where(g => g.Name == parameter.Name).Select(g => g.Value).FirstOrDefault() ?? parameter.Default!;
            Check(parameter, value);
            values.Add((parameter, value));
        }

        return values;
    }

    private static string Declared(EntryPoint entryPoint) =>
        entryPoint.Parameters.Count == 0 ? "no parameters" : string.Join(", ", entryPoint.Parameters.Select(p => $"{p.Name} ({p.Type})"));

    private static void Check(ProjectParameter parameter, string value)
    {
        var ok = parameter.Type switch
        {
            "float" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            "int" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            "uri" => HasScheme(value),
            _ => true,
        };
        if (!ok)
        {
            throw new ProjectException($"Parameter '{parameter.Name}' must be {(parameter.Type == "int" ? "an int" : parameter.Type == "uri" ? "a URI (with a scheme)" : "a float")}, not '{ServerCommand.Quote(value)}'.");
        }
    }

    private static bool HasScheme(string value) => SchemePattern().IsMatch(value);

    /// <summary>The value the command sees: <c>path</c> values resolved against the current folder and checked to exist.</summary>
    public static string CommandValue(ProjectParameter parameter, string value)
    {
        if (parameter.Type != "path" || (HasScheme(value) && !value.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
        {
            return value;
        }

        var local = value.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? new Uri(value).LocalPath : Path.GetFullPath(value);
        return File.Exists(local) || Directory.Exists(local) ? local : throw new ProjectException($"Parameter '{parameter.Name}': path '{ServerCommand.Quote(value)}' does not exist.");
    }

    /// <summary>POSIX shell quoting, as Python's <c>shlex.quote</c>: safe text as is, anything else in single quotes.</summary>
    public static string ShellQuote(string value) =>
        value.Length == 0 ? "''" : SafePattern().IsMatch(value) ? value : "'" + value.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";

    /// <summary>Substitutes <c>{name}</c> placeholders (<c>{{</c> and <c>}}</c> are literal braces), as Python's <c>str.format</c>.</summary>
    public static string Template(string command, IReadOnlyDictionary<string, string> quoted)
    {
        var text = new StringBuilder();
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if ((c == '{' || c == '}') && i + 1 < command.Length && command[i + 1] == c)
            {
                text.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = command.IndexOf('}', i);
                var name = end < 0 ? command[(i + 1)..] : command[(i + 1)..end];
                if (end < 0 || !quoted.TryGetValue(name, out var value))
                {
                    throw new ProjectException($"The command names '{{{ServerCommand.Quote(name)}}}', which is not a parameter of the entry point (write {{{{ and }}}} for literal braces).");
                }

                text.Append(value);
                i = end;
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]+:")]
    private static partial Regex SchemePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_@%+=:,./-]+$")]
    private static partial Regex SafePattern();
}
