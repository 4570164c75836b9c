using System.Globalization;
using Microsoft.ML;
using MlWorkflow.CodeGeneration;
using MlWorkflow.Data;
using MlWorkflow.Features;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.CodeGeneration;

/// <summary>How steps, trainers and values are written as C#, and what the generator refuses (before writing anything).</summary>
[TestFixture]
public sealed class WorkflowCodeTests
{
    [Test]
    public void Every_builder_step_is_written_as_its_builder_call()
    {
        var steps = new FeaturePipelineBuilder()
            .Log("a").Log1p("sales", "log_sales")
            .NormalizeMinMax("x", "y").NormalizeMeanVariance("x").NormalizeLogMeanVariance("y")
            .Bin("z", maximumBins: 12).Bin("z", output: "z_bin")
            .OneHot("city").OneHot("city", "city_code").OneHotHash("city", bits: 5).OneHotHash("city", output: "c")
            .ReplaceMissing("m").ReplaceMissing("m", MissingValueReplacement.Median, indicator: false).ReplaceMissingWith("m", 2.5)
            .Text("review").Text("review", "review_features")
            .Concatenate().Concatenate("x", "y")
            .Drop("a", "b").Select("x", "label").Rename("x", "width")
            .Steps;
        Assert.That(steps.Select(s => s.BuilderCall), Is.EqualTo(new[]
        {
            ".Log(\"a\")", ".Log1p(\"sales\", \"log_sales\")",
            ".NormalizeMinMax(\"x\", \"y\")", ".NormalizeMeanVariance(\"x\")", ".NormalizeLogMeanVariance(\"y\")",
            ".Bin(\"z\", maximumBins: 12)", ".Bin(\"z\", maximumBins: 10, output: \"z_bin\")",
            ".OneHot(\"city\")", ".OneHot(\"city\", output: \"city_code\")", ".OneHotHash(\"city\", bits: 5)", ".OneHotHash(\"city\", bits: 16, output: \"c\")",
            ".ReplaceMissing(\"m\")", ".ReplaceMissing(\"m\", MissingValueReplacement.Median, indicator: false)", ".ReplaceMissingWith(\"m\", 2.5)",
            ".Text(\"review\")", ".Text(\"review\", \"review_features\")",
            ".Concatenate()", ".Concatenate(\"x\", \"y\")",
            ".Drop(\"a\", \"b\")", ".Select(\"x\", \"label\")", ".Rename(\"x\", \"width\")",
        }));
    }

    [Test]
    public void Steps_the_builder_cannot_make_have_no_builder_call()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new NormalizeStep(NormalizationKind.MinMax, [new InputOutputColumnPair("scaled", "x")]).BuilderCall, Is.Null);
            Assert.That(new NormalizeStep(NormalizationKind.Binning, [new InputOutputColumnPair("x"), new InputOutputColumnPair("y")]).BuilderCall, Is.Null);
            Assert.That(new ReplaceMissingStep("m", MissingValueReplacement.Mean, 0, "m_was_missing").BuilderCall, Is.Null);
            Assert.That(new ConcatenateStep(["x"], "Other").BuilderCall, Is.Null);
            Assert.That(new FeaturePipelineBuilder().Map<Source, Destination>("double", (s, d) => d.Twice = s.Value * 2).Steps[0].BuilderCall, Is.Null);
        });
    }

    [Test]
    public void Strings_are_escaped_and_doubles_round_trip()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CSharpLiteral.String("a\"b\\c\nd\te\r\0\u2028\u0001é"), Is.EqualTo("\"a\\\"b\\\\c\\nd\\te\\r\\0\\u2028\\u0001é\""));
            Assert.That(new FeaturePipelineBuilder().OneHot("say \"hi\"").Steps[0].BuilderCall, Is.EqualTo(".OneHot(\"say \\\"hi\\\"\")"));
            Assert.That(CSharpLiteral.Double(1), Is.EqualTo("1.0"));
            Assert.That(CSharpLiteral.Double(0.1), Is.EqualTo("0.1"));
            Assert.That(CSharpLiteral.Double(1e-7), Is.EqualTo("1E-07"));
            Assert.That(CSharpLiteral.Double(double.NaN), Is.EqualTo("double.NaN"));
            Assert.That(CSharpLiteral.Double(double.NegativeInfinity), Is.EqualTo("double.NegativeInfinity"));
        });
        var random = new Random(3);
        for (var i = 0; i < 1000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (double.IsFinite(value))
            {
                Assert.That(double.Parse(CSharpLiteral.Double(value), CultureInfo.InvariantCulture), Is.EqualTo(value));
            }
        }
    }

    [Test]
    public void A_trainer_is_its_shortcut_with_the_hyperparameters_that_differ_from_the_defaults()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TrainerCode.Write(Trainers.Regression.FastForest()).Expression, Is.EqualTo("Trainers.Regression.FastForest()"));
            Assert.That(TrainerCode.Write(Trainers.Regression.RandomForest(trees: 300)).Expression, Is.EqualTo("Trainers.Regression.FastForest(trees: 300)"));
            Assert.That(TrainerCode.Write(Trainers.Regression.Sdca(l2Regularization: 0.25)).Expression, Is.EqualTo("Trainers.Regression.Sdca(l2Regularization: 0.25)"));
            Assert.That(
                TrainerCode.Write(Trainers.BinaryClassification.FastTree(learningRate: 0.05).With(new Dictionary<string, object?> { ["maximum_bin_count"] = 64 })).Expression,
                Is.EqualTo("Trainers.BinaryClassification.FastTree(learningRate: 0.05).With(new Dictionary<string, object?> { [\"maximum_bin_count\"] = 64 })"));
            // Threads set back to auto on SDCA (the catalog runs it on one thread): null in code.
            Assert.That(
                TrainerCode.Write(Trainers.MulticlassClassification.SdcaMaximumEntropy().With(new Dictionary<string, object?> { ["threads"] = null })).Expression,
                Is.EqualTo("Trainers.MulticlassClassification.SdcaMaximumEntropy().With(new Dictionary<string, object?> { [\"threads\"] = null })"));
            Assert.That(TrainerCode.Write(Trainers.BinaryClassification.AveragedPerceptron(DecreasingLearningRate())).Expression,
                Is.EqualTo("Trainers.BinaryClassification.AveragedPerceptron().With(new Dictionary<string, object?> { [\"decrease_learning_rate\"] = true })"));
        });

        static Microsoft.ML.Trainers.AveragedPerceptronTrainer.Options DecreasingLearningRate() =>
            new() { NumberOfIterations = 10, LossFunction = new Microsoft.ML.Trainers.LogLoss(), DecreaseLearningRate = true };
    }

    [Test]
    public void Every_catalog_trainer_is_written_with_every_changed_hyperparameter()
    {
        foreach (var descriptor in Trainers.All.Append(Trainers.MulticlassClassification.OneVersusAll(Trainers.BinaryClassification.All[0])))
        {
            var changed = descriptor.Hyperparameters.Where(h => h.IsSearchable && h.SearchMaximum is not null && !Equals(h.Default, h.Validate(h.SearchMaximum)))
                .ToDictionary(h => h.Name, h => h.Validate(h.SearchMaximum), StringComparer.Ordinal);
            var (expression, _) = TrainerCode.Write(descriptor.Create(changed));
            Assert.That(expression, Does.StartWith($"Trainers.{TrainerCode.TaskClass(descriptor.Task)}."), descriptor.Name);
            foreach (var (name, value) in changed)
            {
                var literal = CSharpLiteral.Value(value);
                Assert.That(expression, Does.Contain($"[\"{name}\"] = {literal}").Or.Contain($": {literal}"), $"{descriptor.Name}.{name}");
            }
        }
    }

    [Test]
    public async Task A_custom_mapping_fails_generation_naming_the_step_and_writes_nothing()
    {
        using var folder = new TemporaryDirectory();
        var workflow = MlWorkflow.Workflow.Create()
            .Features(f => f.OneHot("city").Map<Source, Destination>("double_it", (s, d) => d.Twice = s.Value * 2))
            .Label("Twice")
            .Train(Trainers.Regression.FastTree());
        var error = await Assert.ThrowsAsync<WorkflowCodeGenerationException>(() =>
            new WorkflowCodeGenerator().GenerateAsync(workflow, "data.csv", DataFileFormat.Csv, "e", folder.Combine("out")));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Part, Is.EqualTo("Features"));
            Assert.That(error.Item, Does.Contain("custom_mapping(double_it"));
            Assert.That(error.Message, Does.Contain("step 2"));
            Assert.That(Directory.Exists(folder.Combine("out")), Is.False);
        });
    }

    [Test]
    public async Task A_custom_trainer_fails_generation_naming_the_trainer()
    {
        using var folder = new TemporaryDirectory();
        var workflow = MlWorkflow.Workflow.Create().Label("y")
            .Train(Trainers.Custom("MySdca", LearningTask.Regression, c => c.MLContext.Regression.Trainers.Sdca(c.LabelColumn, c.FeatureColumn)));
        var error = await Assert.ThrowsAsync<WorkflowCodeGenerationException>(() =>
            new WorkflowCodeGenerator().GenerateAsync(workflow, "data.csv", DataFileFormat.Csv, "e", folder.Path));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Part, Is.EqualTo("Train"));
            Assert.That(error.Item, Is.EqualTo("MySdca"));
            Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
        });
    }

    [Test]
    public void A_trainer_from_options_with_settings_beyond_the_hyperparameters_cannot_be_written()
    {
        // The hinge loss is not a hyperparameter: code written from the hyperparameters alone would train with the log loss.
        var hinge = Trainers.BinaryClassification.AveragedPerceptron(new Microsoft.ML.Trainers.AveragedPerceptronTrainer.Options { NumberOfIterations = 10 });
        var error = Assert.Throws<WorkflowCodeGenerationException>(() => TrainerCode.Write(hinge));
        var wrapped = Assert.Throws<WorkflowCodeGenerationException>(() => TrainerCode.Write(Trainers.MulticlassClassification.OneVersusAll(hinge)));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("LossFunction"));
            Assert.That(wrapped!.Message, Does.Contain("LossFunction"));
            Assert.That(TrainerCode.Write(Trainers.Regression.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeRegressionTrainer.Options { NumberOfTrees = 7 })).Expression,
                Is.EqualTo("Trainers.Regression.FastTree(trees: 7)"), "an options object holding only hyperparameters is written");
        });
    }

    [Test]
    public async Task An_edited_program_is_not_overwritten_unless_asked()
    {
        using var folder = new TemporaryDirectory();
        var workflow = MlWorkflow.Workflow.Create().Label("price").Train(Trainers.Regression.FastTree());
        var generator = new WorkflowCodeGenerator();
        var code = await generator.GenerateAsync(workflow, "d.csv", DataFileFormat.Csv, "e", folder.Path);
        await File.WriteAllTextAsync(code.ProgramFile, "// my edits");
        var error = await Assert.ThrowsAsync<WorkflowCodeGenerationException>(() => generator.GenerateAsync(workflow, "d.csv", DataFileFormat.Csv, "e", folder.Path));
        Assert.Multiple(async () =>
        {
            Assert.That(error!.Part, Is.EqualTo("Output"));
            Assert.That(await File.ReadAllTextAsync(code.ProgramFile), Is.EqualTo("// my edits"));
        });
        await generator.GenerateAsync(workflow, "d.csv", DataFileFormat.Csv, "e", folder.Path, new WorkflowCodeGenerationOptions { Overwrite = true });
        Assert.That(await File.ReadAllTextAsync(code.ProgramFile), Does.Contain("Trainers.Regression.FastTree()"));
    }

    [TestCase("../escape")]
    [TestCase("a/b")]
    [TestCase(".hidden")]
    [TestCase("")]
    public async Task A_project_name_that_is_not_a_plain_file_name_is_refused(string name)
    {
        using var folder = new TemporaryDirectory();
        var workflow = MlWorkflow.Workflow.Create().Label("price").Train(Trainers.Regression.FastTree());
        var error = await Assert.ThrowsAsync<WorkflowCodeGenerationException>(() =>
            new WorkflowCodeGenerator().GenerateAsync(workflow, "d.csv", DataFileFormat.Csv, "e", folder.Path, new WorkflowCodeGenerationOptions { ProjectName = name }));
        Assert.That(error!.Part, Is.EqualTo("Output"));
    }

    [Test]
    public async Task A_workflow_without_label_or_trainer_is_refused()
    {
        using var folder = new TemporaryDirectory();
        var noLabel = await Assert.ThrowsAsync<WorkflowCodeGenerationException>(() =>
            new WorkflowCodeGenerator().GenerateAsync(MlWorkflow.Workflow.Create().Train(Trainers.Regression.FastTree()), "d.csv", DataFileFormat.Csv, "e", folder.Path));
        var noTrainer = await Assert.ThrowsAsync<WorkflowCodeGenerationException>(() =>
            new WorkflowCodeGenerator().GenerateAsync(MlWorkflow.Workflow.Create().Label("y"), "d.csv", DataFileFormat.Csv, "e", folder.Path));
        Assert.Multiple(() =>
        {
            Assert.That(noLabel!.Part, Is.EqualTo("Label"));
            Assert.That(noTrainer!.Part, Is.EqualTo("Train"));
        });
    }

    [Test]
    public async Task A_package_build_references_the_packages_by_version()
    {
        using var folder = new TemporaryDirectory();
        var workflow = MlWorkflow.Workflow.Create().Label("price").Train(Trainers.Regression.All.Single(t => t.Name == "LightGbm").Create());
        var code = await new WorkflowCodeGenerator().GenerateAsync(workflow, "d.parquet", DataFileFormat.Parquet, "e", folder.Path, new WorkflowCodeGenerationOptions { PackageVersion = "1.2.3" });
        var project = await File.ReadAllTextAsync(code.ProjectFile);
        Assert.Multiple(() =>
        {
            Assert.That(project, Does.Contain("<PackageReference Include=\"MlWorkflow\" Version=\"1.2.3\" />"));
            Assert.That(project, Does.Contain("<PackageReference Include=\"MlWorkflow.LightGbm\" Version=\"1.2.3\" />"));
            Assert.That(project, Does.Not.Contain("ProjectReference"));
        });
    }

    [Test]
    public async Task Splits_folds_column_splits_time_limits_and_trainer_seeds_are_written_and_a_test_set_is_refused()
    {
        using var folder = new TemporaryDirectory();
        var trainer = Trainers.Regression.FastTree(trees: 7).WithSeed(5);
        async Task<string> ProgramOf(MlWorkflow.Workflow workflow, string name)
        {
            var code = await new WorkflowCodeGenerator().GenerateAsync(workflow, "d.csv", DataFileFormat.Csv, "e", folder.Combine(name));
            return await File.ReadAllTextAsync(code.ProgramFile);
        }

        var stratified = await ProgramOf(MlWorkflow.Workflow.Create().Label("y").Split(0.25, stratify: true).Train(Trainers.BinaryClassification.FastTree()), "a");
        var grouped = await ProgramOf(MlWorkflow.Workflow.Create().Label("y").CrossValidate(3, groupBy: "city", refit: false).Train(trainer), "b");
        var byDate = await ProgramOf(MlWorkflow.Workflow.Create().Label("y").SplitBy("date", new DateTime(2014, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TimeLimit(TimeSpan.FromSeconds(90)).Train(trainer), "c");
        var marker = await ProgramOf(MlWorkflow.Workflow.Create().Label("y").SplitBy("is_test").Train(trainer), "d");
        var error = await Assert.ThrowsAsync<WorkflowCodeGenerationException>(() => ProgramOf(
            MlWorkflow.Workflow.Create().Label("y").TestOn(DataSource.Csv("test.csv")).Train(trainer), "e"));
        Assert.Multiple(() =>
        {
            Assert.That(stratified, Does.Contain(".Split(testFraction: 0.25, stratify: true)"));
            Assert.That(grouped, Does.Contain(".CrossValidate(folds: 3, groupBy: \"city\", refit: false)"));
            Assert.That(grouped, Does.Contain("Trainers.Regression.FastTree(trees: 7).WithSeed(5)"));
            Assert.That(byDate, Does.Contain($".SplitBy(\"date\", new DateTime({new DateTime(2014, 1, 1).Ticks}L, DateTimeKind.Utc)).TimeLimit(TimeSpan.FromTicks({TimeSpan.FromSeconds(90).Ticks}L))"));
            Assert.That(marker, Does.Contain(".SplitBy(\"is_test\")"));
            Assert.That(error!.Part, Is.EqualTo("TestOn"));
            Assert.That(Directory.Exists(folder.Combine("e")), Is.False);
        });
    }

    private sealed class Source
    {
        public float Value { get; set; }
    }

    private sealed class Destination
    {
        public float Twice { get; set; }
    }
}
