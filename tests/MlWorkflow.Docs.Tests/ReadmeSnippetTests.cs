using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MlWorkflow.Docs.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md and of each package's README compiles, as its own program with top-level
/// statements, against the packages as built, with nullable checks on and warnings as errors: the docs cannot drift
/// from the API.
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>The markdown files whose C# blocks are compiled: README.md and src/*/README.md.</summary>
    public static IEnumerable<TestCaseData> Snippets()
    {
        var root = RepositoryRoot();
        var files = new List<string> { Path.Combine(root, "README.md") };
        files.AddRange(Directory.GetDirectories(Path.Combine(root, "src")).Select(d => Path.Combine(d, "README.md")).Where(File.Exists).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var index = 0;
            foreach (Match block in CSharpBlock().Matches(text))
            {
                index++;
                var line = text.AsSpan(0, block.Index).Count('\n') + 1;
                var name = $"{Path.GetRelativePath(root, file)}:{line}";
                yield return new TestCaseData(name, block.Groups["code"].Value).SetName($"Snippet compiles: {name}");
            }
        }
    }

    [Test]
    public void EveryPackageHasItsOwnReadme()
    {
        var root = RepositoryRoot();
        // A package is a folder with its project; src/Shared holds source files linked into several packages.
        var packages = Directory.GetDirectories(Path.Combine(root, "src")).Where(d => Directory.EnumerateFiles(d, "*.csproj").Any()).ToArray();
        Assert.That(packages, Is.Not.Empty);
        foreach (var package in packages)
        {
            var readme = Path.Combine(package, "README.md");
            Assert.That(File.Exists(readme), Is.True, $"{Path.GetFileName(package)} has no README.md for NuGet users");
            var text = File.ReadAllText(readme);
            Assert.That(text, Does.Contain("dotnet add package").Or.Contain("dotnet tool install"), $"{readme} does not say how to install it");
            Assert.That(text, Does.Not.Contain("After cloning"), $"{readme} speaks to people who cloned the repository, not to NuGet users");
        }
    }

    [TestCaseSource(nameof(Snippets))]
    public void SnippetCompiles(string name, string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest), path: name);
        var usings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;",
            new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [usings, tree],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error));
        var problems = compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS8019" && d.Id != "CS1701" && d.Id != "CS1702")
            .Select(d => d.ToString())
            .ToList();
        Assert.That(problems, Is.Empty, $"The C# block at {name} does not compile:\n{string.Join('\n', problems)}\n---\n{code}");
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The test's own dependency closure: the framework, ASP.NET Core, ML.NET and the MlWorkflow packages as built.
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. paths.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MlWorkflow.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No MlWorkflow.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }

    [GeneratedRegex(@"^```csharp[ \t]*\r?\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
