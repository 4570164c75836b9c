using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.ML;
using MlWorkflow.Evaluation;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Packaging;

/// <summary>
/// The core package brings neither LightGBM nor ScottPlot/SkiaSharp; MlWorkflow.LightGbm lists its trainers in the catalog
/// on its own; plots asked for with no plotter fail before training and say which package to add.
/// </summary>
public sealed class PackageWeightTests
{
    private static readonly string[] HeavyPackages = ["Microsoft.ML.LightGbm", "LightGBM", "ScottPlot", "SkiaSharp"];

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

    [Test]
    public void The_core_project_references_neither_LightGbm_nor_ScottPlot()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "MlWorkflow", "MlWorkflow.csproj"));
        var packages = project.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include") ?? "").ToArray();
        var projects = project.Descendants("ProjectReference").Select(p => Path.GetFileName(((string?)p.Attribute("Include") ?? "").Replace('\\', '/'))).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(packages, Does.Contain("Microsoft.ML").And.Contain("Microsoft.ML.FastTree").And.Contain("Parquet.Net").And.Contain("Apache.Arrow"));
            Assert.That(packages.Where(p => HeavyPackages.Any(h => p.StartsWith(h, StringComparison.OrdinalIgnoreCase))), Is.Empty);
            Assert.That(projects, Is.EqualTo(new[] { "MlWorkflow.Tracking.csproj" }));
        });
    }

    [Test]
    public void The_core_restored_dependency_graph_holds_no_LightGbm_nor_SkiaSharp()
    {
        // The restore's own view of every package the core pulls in, transitive ones included.
        var assets = Path.Combine(RepositoryRoot(), "src", "MlWorkflow", "obj", "project.assets.json");
        using var json = JsonDocument.Parse(File.ReadAllText(assets));
        var libraries = json.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(libraries, Does.Contain("Microsoft.ML.FastTree"), "the graph was read");
            Assert.That(libraries.Where(l => HeavyPackages.Any(h => l.StartsWith(h, StringComparison.OrdinalIgnoreCase))), Is.Empty);
            Assert.That(typeof(Trainers).Assembly.GetReferencedAssemblies().Select(a => a.Name), Has.None.StartsWith("Microsoft.ML.LightGbm").And.None.StartsWith("ScottPlot"));
        });
    }

    [Test]
    public void A_referenced_LightGbm_package_is_listed_before_any_of_its_code_runs()
    {
        // A fresh copy of the core and of MlWorkflow.LightGbm, whose catalog nothing has touched yet.
        var context = new IsolatedContext(AppContext.BaseDirectory, "MlWorkflow", "MlWorkflow.LightGbm");
        try
        {
            var core = context.LoadFromAssemblyName(new AssemblyName("MlWorkflow"));
            Assert.That(context.Assemblies.Select(a => a.GetName().Name), Does.Not.Contain("MlWorkflow.LightGbm"), "not loaded yet");
            var trainers = core.GetType("MlWorkflow.Training.Trainers", throwOnError: true)!;
            var all = (IEnumerable<object>)trainers.GetProperty(nameof(Trainers.All))!.GetValue(null)!;
            var names = all.Select(d => $"{d.GetType().GetProperty(nameof(TrainerDescriptor.Task))!.GetValue(d)}/{d.GetType().GetProperty(nameof(TrainerDescriptor.Name))!.GetValue(d)}").ToArray();
            Assert.Multiple(() =>
            {
                Assert.That(names, Does.Contain("Regression/LightGbm").And.Contain("BinaryClassification/LightGbm").And.Contain("MulticlassClassification/LightGbm"));
                Assert.That(names, Has.Length.EqualTo(15));
                Assert.That(context.Assemblies.Select(a => a.GetName().Name), Does.Contain("MlWorkflow.LightGbm"), "found by name beside the core");
            });
        }
        finally
        {
            context.Unload();
        }
    }

    [Test]
    public void Registering_a_second_trainer_under_a_registered_name_is_refused()
    {
        var first = Trainers.Regression.All.Single(d => d.Name == "LightGbm");
        TrainerCatalog.Register(first);
        var other = Trainers.Custom("LightGbm", LearningTask.Regression, c => c.MLContext.Regression.Trainers.Sdca(c.LabelColumn, c.FeatureColumn)).Descriptor;

        var error = Assert.Throws<ArgumentException>(() => TrainerCatalog.Register(other))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("'LightGbm' is already registered"));
            Assert.That(Trainers.Regression.All.Count(d => d.Name == "LightGbm"), Is.EqualTo(1), "registering the same descriptor again adds nothing");
        });
    }

    [Test]
    public async Task Plots_with_no_plotter_fail_before_training_and_name_the_package()
    {
        var ml = new MLContext(1);
        var fits = 0;
        var trainer = Trainers.Custom("Counted", LearningTask.Regression, c =>
        {
            Interlocked.Increment(ref fits);
            return c.MLContext.Regression.Trainers.Sdca(c.LabelColumn, c.FeatureColumn);
        });
        var workflow = MlWorkflow.Workflow.Create(1, ml, options: new WorkflowOptions { FindPlotsPackage = false })
            .Load(TestDatasets.DiamondsSample(ml))
            .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity"))
            .Label("price")
            .Train(trainer)
            .Evaluate(plots: true);

        var error = (await Assert.ThrowsAsync<WorkflowValidationException>(() => workflow.RunAsync()))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.Step, Is.EqualTo("Evaluate"));
            Assert.That(error.Message, Does.Contain("dotnet add package MlWorkflow.Plots").And.Contain("WorkflowOptions.Plotter"));
            Assert.That(fits, Is.Zero, "nothing was trained");
        });
    }

    [Test]
    public async Task An_explicit_plotter_draws_the_plots()
    {
        var ml = new MLContext(1);
        using var folder = new TemporaryDirectory();
        using var result = await MlWorkflow.Workflow.Create(1, ml, options: new WorkflowOptions { FindPlotsPackage = false, Plotter = new ScottPlotEvaluationPlotter() })
            .Load(TestDatasets.DiamondsSample(ml))
            .Features(f => f.OneHot("cut").OneHot("color").OneHot("clarity"))
            .Label("price")
            .Train(Trainers.Regression.Sdca())
            .Evaluate(plots: true, plotsFolder: folder.Path)
            .RunAsync();

        Assert.That(result.PlotFiles.Select(Path.GetFileName), Is.EqualTo(new[] { EvaluationPlots.ResidualsFile, EvaluationPlots.PredictedVsActualFile }));
        Assert.That(result.PlotFiles.Select(f => new FileInfo(f).Length), Has.All.GreaterThan(5_000));
    }

    /// <summary>Loads the named assemblies afresh from a folder; every other one comes from the default context.</summary>
    private sealed class IsolatedContext(string folder, params string[] isolated) : AssemblyLoadContext("package-weight", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName assemblyName) =>
            isolated.Contains(assemblyName.Name) ? LoadFromAssemblyPath(Path.Combine(folder, assemblyName.Name + ".dll")) : null;
    }
}
