using System.Text.Json;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using MlWorkflow.AutoMl;
using MlWorkflow.CodeGeneration;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Testing;
using MlWorkflow.Tracking;

namespace MlWorkflow.Notebook.Tests;

/// <summary>
/// Runs an AutoML search, writes its winner's notebook, and executes every code cell in order in .NET Interactive's C#
/// kernel (the kernel Polyglot Notebooks and Jupyter's .NET kernel run), in this process: the exploration cells must run
/// without error and the training cell must reproduce the winner's test metrics. One substitution: the notebook's
/// <c>#r "nuget: MlWorkflow, ..."</c> lines name packages no feed here serves, so the kernel is given the same assemblies
/// as built from this checkout instead.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class GeneratedNotebookExecutionTests
{
    private readonly TemporaryDirectory _folder = new();
    private string? _previousDirectory;
    private string? _previousTrackingUri;

    [OneTimeSetUp]
    public void EnterFolder()
    {
        // The notebook writes its data profile next to itself and tracks to MLFLOW_TRACKING_URI, as it would for a user.
        _previousDirectory = Environment.CurrentDirectory;
        _previousTrackingUri = Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI");
        Environment.CurrentDirectory = _folder.Path;
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", _folder.Combine("mlruns"));
    }

    [OneTimeTearDown]
    public void LeaveFolder()
    {
        Environment.CurrentDirectory = _previousDirectory!;
        Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", _previousTrackingUri);
        _folder.Dispose();
    }

    [TestCase("penguins.csv", "species", MetricNames.LogLoss)]
    [TestCase("breast_cancer.csv", "target", MetricNames.Auc)]
    public async Task The_winners_notebook_runs_cell_by_cell_and_its_training_cell_reproduces_the_test_metrics(string file, string label, string metric)
    {
        var data = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", file);
        using var search = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(data))
            .Label(label)
            .AutoMl(o => o.Trials(4).Metric(metric))
            .RunAsync();
        var code = await new WorkflowCodeGenerator().GenerateAsync(
            search.BestWorkflow, data, DataFileFormat.Csv, "notebook-" + label, _folder.Combine("code-" + label));

        using var kernel = new CSharpKernel().UseKernelHelpers();
        kernel.AddAssemblyReferences(LocalAssemblies());
        var executed = 0;
        foreach (var cell in CodeCells(code.NotebookFile))
        {
            var source = string.Join('\n', cell.Split('\n').Where(l => !l.StartsWith("#r \"nuget:", StringComparison.Ordinal)));
            var result = await kernel.SendAsync(new SubmitCode(source));
            var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
            Assert.That(failure, Is.Null, $"cell {executed + 1} failed: {failure?.Message}\n{Excerpt(source)}");
            executed++;
        }

        Assert.That(kernel.TryGetValue<WorkflowResult>("result", out var trained), Is.True, "the training cell defines result");
        Assert.Multiple(() =>
        {
            Assert.That(executed, Is.GreaterThanOrEqualTo(8), "every code cell ran: references, load, exploration, plots, training, metrics");
            Assert.That(trained.Metrics[metric], Is.EqualTo(search.TestMetrics[metric]).Within(1e-9), $"the notebook's {metric} ({trained.Trainer}) against the search winner's ({search.BestTrainer})");
            Assert.That(trained.Metrics[MetricNames.ExampleCount], Is.EqualTo(search.TestMetrics[MetricNames.ExampleCount]), "the same test rows");
            Assert.That(trained.Tracking?.RunId, Is.Not.Null, "the training cell logged its run");
            Assert.That(Directory.EnumerateFiles(_folder.Path, "*.png", SearchOption.AllDirectories), Is.Not.Empty, "the plot cell wrote its plots");
        });
        trained.Dispose();
    }

    // The assemblies the notebook's package references stand for, from this test's output (built from this checkout).
    private static IEnumerable<string> LocalAssemblies() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll")
            .Where(f => Path.GetFileName(f) is var n && (n.StartsWith("MlWorkflow.", StringComparison.Ordinal) || n.StartsWith("Microsoft.ML", StringComparison.Ordinal))
                && !n.Contains("Tests", StringComparison.Ordinal));

    private static IEnumerable<string> CodeCells(string notebookFile)
    {
        using var notebook = JsonDocument.Parse(File.ReadAllText(notebookFile));
        return notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())))
            .ToArray();
    }

    private static string Excerpt(string text) => text.Length > 600 ? text[..600] + "…" : text;
}
