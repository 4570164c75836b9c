using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using MlWorkflow.CodeGeneration;
using MlWorkflow.Data;
using MlWorkflow.Features;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Tracking;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.CodeGeneration;

/// <summary>
/// Generates one project per task from real data, builds all three with one <c>dotnet build</c> (ProjectReference to this
/// checkout, no package feed needed), runs each, and checks that it reproduces the in-process workflow's metrics and logs
/// them to MLflow. One build for the fixture: a build costs about 30 s on the test machine.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class GeneratedProjectTests
{
    private readonly TemporaryDirectory _folder = new();
    private readonly Dictionary<string, Case> _cases = [];
    private string _buildOutput = string.Empty;
    private int _buildExitCode;

    private sealed record Case(MlWorkflow.Workflow Workflow, string DataPath, DataFileFormat Format, GeneratedWorkflowCode Code);

    [OneTimeSetUp]
    public async Task GenerateAndBuild()
    {
        // Parquet for one case, so that the generated DataSource.Parquet call is exercised too.
        var diamonds = _folder.Combine("diamonds.parquet");
        var ml = new MLContext(seed: 1);
        var csv = await DataSource.Csv(TestDatasets.PathOf("diamonds.csv")).LoadAsync(ml);
        await DataSink.WriteParquetAsync(ml.Data.TakeRows(ml.Data.ShuffleRows(csv, seed: 3), 6000), diamonds);

        var regression = MlWorkflow.Workflow.Create(seed: 7)
            .Load(DataSource.Parquet(diamonds))
            .Features(f => f
                .Log1p("price", "log_price")
                .OneHot("cut")
                .OneHotHash("color", bits: 4)
                .OneHot("clarity", output: "clarity_code")
                .Drop("clarity")
                .NormalizeMinMax("depth", "table")
                .Bin("z", maximumBins: 16)
                // A name that needs escaping in C#: quotes, a backslash, a tab.
                .Rename("x", "length \"x\"\\\tmm")
                .Log("carat"))
            .Label("log_price")
            .Split(testFraction: 0.25)
            .Train(Trainers.Regression.FastTree(trees: 40, leaves: 16).With(new Dictionary<string, object?> { ["feature_fraction"] = 0.9, ["threads"] = 1 }));

        var binary = MlWorkflow.Workflow.Create(seed: 11)
            .Load(DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv")))
            .Features(f => f
                .Drop("mean_fractal_dimension")
                .NormalizeMeanVariance("mean_area", "worst_area")
                .NormalizeLogMeanVariance("area_error")
                .ReplaceMissingWith("mean_radius", 14.5, indicator: false)
                .Concatenate("mean_radius", "mean_texture", "mean_area", "worst_area", "area_error", "worst_concave_points", "mean_concavity"))
            .Label("target")
            .CrossValidate(folds: 3)
            .Train(Trainers.BinaryClassification.All.Single(t => t.Name == "LightGbm").Create(new Dictionary<string, object?> { ["iterations"] = 30, ["threads"] = 1 }));

        var multiclass = MlWorkflow.Workflow.Create(seed: 5)
            .Load(DataSource.Csv(TestDatasets.PathOf("penguins.csv")))
            .Features(f => f
                .ReplaceMissing("bill_length_mm", MissingValueReplacement.Median)
                .ReplaceMissing("bill_depth_mm", indicator: false)
                .ReplaceMissingWith("flipper_length_mm", 200.5)
                .ReplaceMissing("body_mass_g", MissingValueReplacement.Minimum, indicator: false)
                .OneHot("island")
                .Text("sex", "sex_text")
                .Drop("sex", "year"))
            .Label("species")
            .Split(testFraction: 0.3)
            .Train(Trainers.MulticlassClassification.OneVersusAll(Trainers.BinaryClassification.LbfgsLogisticRegression(l1Regularization: 0.5)));

        // An ensemble: the generated code must rebuild its members and weights (Trainers.Ensemble) and reproduce its metrics.
        var ensemble = MlWorkflow.Workflow.Create(seed: 13)
            .Load(DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv")))
            .Label("target")
            .Split(testFraction: 0.25)
            .Train(Trainers.Ensemble(
                [Trainers.BinaryClassification.LbfgsLogisticRegression(l1Regularization: 0.1).WithThreads(1), Trainers.BinaryClassification.FastTree(trees: 30).WithThreads(1)],
                [2, 1]));

        var source = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "src"));
        var generator = new WorkflowCodeGenerator();
        foreach (var (name, workflow, data, format) in new[]
        {
            ("Regression", regression, diamonds, DataFileFormat.Parquet),
            ("Binary", binary, TestDatasets.PathOf("breast_cancer.csv"), DataFileFormat.Csv),
            ("Multiclass", multiclass, TestDatasets.PathOf("penguins.csv"), DataFileFormat.Csv),
            ("Ensemble", ensemble, TestDatasets.PathOf("breast_cancer.csv"), DataFileFormat.Csv),
        })
        {
            var code = await generator.GenerateAsync(
                workflow, data, format, experiment: $"codegen-{name}", outputFolder: _folder.Combine(name),
                new WorkflowCodeGenerationOptions { ProjectName = name + "Training", LocalSourceFolder = source });
            _cases[name] = new Case(workflow, data, format, code);
        }

        var notebookCheck = await WriteNotebookAsProgramAsync(_cases["Multiclass"].Code);
        var solution = _folder.Combine("generated.slnx");
        var projects = _cases.Values.Select(c => c.Code.ProjectFile).Append(notebookCheck);
        await File.WriteAllTextAsync(solution, "<Solution>\n" + string.Concat(projects.Select(p => $"  <Project Path=\"{p}\" />\n")) + "</Solution>\n");
        (_buildExitCode, _buildOutput) = await RunAsync("dotnet", ["build", solution, "-nologo", "-v", "q", "-clp:ErrorsOnly"], _folder.Path, null);
    }

    [OneTimeTearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public void The_generated_projects_build()
    {
        Assert.That(_buildExitCode, Is.Zero, Excerpt(_buildOutput));
    }

    [TestCase("Regression")]
    [TestCase("Binary")]
    [TestCase("Multiclass")]
    [TestCase("Ensemble")]
    public async Task The_generated_program_reproduces_the_workflow_metrics_and_logs_them(string name)
    {
        Assume.That(_buildExitCode, Is.Zero, "the build failed; see The_generated_projects_build");
        var @case = _cases[name];
        using var expected = await @case.Workflow.RunAsync();
        var mlruns = _folder.Combine("mlruns-" + name);
        var dll = Path.Combine(@case.Code.Folder, "bin", "Debug", "net10.0", name + "Training.dll");
        var (exitCode, output) = await RunAsync("dotnet", [dll], @case.Code.Folder, mlruns);
        Assert.That(exitCode, Is.Zero, Excerpt(output));

        var printed = output.Split('\n', StringSplitOptions.TrimEntries)
            .Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        var metrics = printed.Where(p => expected.Metrics.ContainsKey(p.Key))
            .ToDictionary(p => p.Key, p => double.Parse(p.Value, CultureInfo.InvariantCulture));
        Assert.Multiple(() =>
        {
            Assert.That(metrics.Keys, Is.EquivalentTo(expected.Metrics.Keys), "every metric printed");
            foreach (var (metric, value) in expected.Metrics)
            {
                // The same seed, data and pipeline give the same numbers.
                Assert.That(metrics.GetValueOrDefault(metric, double.NaN), Is.EqualTo(value).Within(1e-9), metric);
            }
        });

        using var client = MlflowClient.Create(mlruns);
        var run = await client.GetRunAsync(printed["run_id"]);
        Assert.Multiple(() =>
        {
            Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Finished));
            Assert.That(run.Data.GetParam("trainer"), Is.EqualTo(expected.Trainer.Name));
            Assert.That(run.Data.Params.ToDictionary(p => p.Key, p => p.Value), Is.SupersetOf(expected.Params), "the generated workflow logs the same params");
            Assert.That(run.Data.Metrics.Single(m => m.Key == expected.Metrics.First().Key).Value, Is.EqualTo(expected.Metrics.First().Value).Within(1e-9));
        });
    }

    [Test]
    public void The_trainer_is_written_as_its_catalog_call_and_the_packages_follow_it()
    {
        var regression = File.ReadAllText(_cases["Regression"].Code.ProgramFile);
        var binary = File.ReadAllText(_cases["Binary"].Code.ProgramFile);
        var multiclass = File.ReadAllText(_cases["Multiclass"].Code.ProgramFile);
        Assert.Multiple(() =>
        {
            Assert.That(regression, Does.Contain(".Train(Trainers.Regression.FastTree(trees: 40, leaves: 16).With(new Dictionary<string, object?> { [\"feature_fraction\"] = 0.9, [\"threads\"] = 1 }))"));
            Assert.That(regression, Does.Contain(".Rename(\"x\", \"length \\\"x\\\"\\\\\\tmm\")"));
            Assert.That(regression, Does.Contain(".Load(DataSource.Parquet(dataPath))"));
            Assert.That(binary, Does.Contain("Trainers.BinaryClassification.All.Single(t => t.Name == \"LightGbm\").Create(new Dictionary<string, object?> { [\"iterations\"] = 30, [\"threads\"] = 1 })"));
            Assert.That(binary, Does.Contain(".CrossValidate(folds: 3)"));
            Assert.That(multiclass, Does.Contain(".Train(Trainers.MulticlassClassification.OneVersusAll(Trainers.BinaryClassification.LbfgsLogisticRegression(l1Regularization: 0.5)))"));
            Assert.That(_cases["Binary"].Code.Packages, Is.EqualTo(new[] { "MlWorkflow", "MlWorkflow.LightGbm" }));
            Assert.That(_cases["Regression"].Code.Packages, Is.EqualTo(new[] { "MlWorkflow" }));
            Assert.That(File.ReadAllText(_cases["Binary"].Code.ProjectFile), Does.Contain("MlWorkflow.LightGbm.csproj"));
        });
    }

    [Test]
    public void The_notebook_is_nbformat_4_with_the_csharp_kernel_exploration_and_training_cells()
    {
        var code = _cases["Multiclass"].Code;
        using var notebook = JsonDocument.Parse(File.ReadAllText(code.NotebookFile));
        var root = notebook.RootElement;
        var cells = root.GetProperty("cells").EnumerateArray().ToArray();
        static string Source(JsonElement cell) => string.Concat(cell.GetProperty("source").EnumerateArray().Select(l => l.GetString()));
        var codeCells = cells.Where(c => c.GetProperty("cell_type").GetString() == "code").Select(Source).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("nbformat").GetInt32(), Is.EqualTo(4));
            Assert.That(root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString(), Is.EqualTo(".net-csharp"));
            Assert.That(root.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString(), Is.EqualTo("csharp"));
            Assert.That(cells.Select(c => c.GetProperty("id").GetString()), Is.Unique);
            Assert.That(cells.Where(c => c.GetProperty("cell_type").GetString() == "code")
                .All(c => c.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelName").GetString() == "csharp"), Is.True);
            Assert.That(codeCells[0], Does.Contain("#r \"nuget: MlWorkflow, ").And.Contain("#r \"nuget: MlWorkflow.Plots, "));
            Assert.That(codeCells, Has.Some.Contains("DataProfile.ComputeAsync(data, labelColumn: \"species\")"));
            Assert.That(codeCells, Has.Some.Contains("MissingShare"));
            Assert.That(codeCells, Has.Some.Contains("profile.Label"));
            Assert.That(codeCells, Has.Some.Contains("WriteReportAsync"));
            Assert.That(codeCells, Has.Some.Contains(".Train(Trainers.MulticlassClassification.OneVersusAll("));
            Assert.That(codeCells, Has.Some.Contains("await workflow.RunAsync()"));
        });
    }

    [Test]
    public async Task The_notebook_profiles_the_data_column_behind_a_computed_label()
    {
        // log_price is written by Log1p from price: the notebook explores price.
        using var notebook = JsonDocument.Parse(await File.ReadAllTextAsync(_cases["Regression"].Code.NotebookFile));
        Assert.That(notebook.RootElement.GetRawText(), Does.Contain("labelColumn: \\\"price\\\""));
    }

    [Test]
    public async Task The_code_is_logged_as_artifacts_of_a_run()
    {
        using var store = new TemporaryDirectory();
        using var client = MlflowClient.Create(store.Path);
        await using var run = await client.StartRunAsync();
        await run.LogGeneratedCodeAsync(_cases["Binary"].Code);
        var files = await run.ListArtifactsAsync("code");
        Assert.That(files.Select(f => f.Path), Is.EquivalentTo(new[] { "code/BinaryTraining.csproj", "code/Program.cs", "code/Directory.Build.props", "code/BinaryTraining.ipynb" }));
    }

    // The notebook's C# cells as one program, built with the others so that the notebook's code is compiled too:
    // #r lines dropped, a cell's final expression (shown by the notebook) displayed, .NET Interactive's display and HTML stubbed.
    private async Task<string> WriteNotebookAsProgramAsync(GeneratedWorkflowCode code)
    {
        using var notebook = JsonDocument.Parse(await File.ReadAllTextAsync(code.NotebookFile));
        var program = new List<string>();
        foreach (var cell in notebook.RootElement.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code"))
        {
            var lines = string.Concat(cell.GetProperty("source").EnumerateArray().Select(l => l.GetString())).Split('\n')
                .Where(l => !l.StartsWith("#r ", StringComparison.Ordinal)).ToList();
            if (lines.Count > 0 && !lines[^1].TrimEnd().EndsWith(';') && !lines[^1].TrimEnd().EndsWith('}'))
            {
                lines[^1] = $"display({lines[^1]});";
            }

            program.AddRange(lines);
        }

        program.Add("static void display(object? value) => Console.WriteLine(value);");
        program.Add("static string HTML(string html) => html;");
        var folder = _folder.Combine("NotebookCheck");
        Directory.CreateDirectory(folder);
        var project = Path.Combine(folder, "NotebookCheck.csproj");
        File.Copy(code.ProjectFile, project);
        File.Copy(code.BuildPropsFile, Path.Combine(folder, "Directory.Build.props"));
        await File.WriteAllLinesAsync(Path.Combine(folder, "Program.cs"), program);
        return project;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string folder, string? trackingUri)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (trackingUri is not null)
        {
            start.Environment["MLFLOW_TRACKING_URI"] = trackingUri;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static string Excerpt(string output) => output.Length > 4000 ? output[^4000..] : output;
}
