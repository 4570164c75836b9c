using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Models;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Models;

public sealed class MlnetModelTests
{
    private TemporaryDirectory _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TemporaryDirectory();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    private sealed class Flower
    {
        [ColumnName("Sepal.Length")]
        public float SepalLength { get; set; }

        [ColumnName("Sepal.Width")]
        public float SepalWidth { get; set; }

        [ColumnName("Petal.Length")]
        public float PetalLength { get; set; }

        [ColumnName("Petal.Width")]
        public float PetalWidth { get; set; }
    }

    private sealed class FlowerPrediction
    {
        public string PredictedLabel { get; set; } = string.Empty;
    }

    private static Task<WorkflowResult> TrainIrisAsync()
    {
        var ml = new MLContext(5);
        return MlWorkflow.Workflow.Create(5, ml)
            .Load(TestDatasets.Iris(ml))
            .Label("Species")
            .Split(0.3)
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .RunAsync();
    }

    [Test]
    public async Task AModelFolderRoundTripsWithTheSamePredictions()
    {
        var result = await TrainIrisAsync();
        var folder = Path.Combine(_folder.Path, "model");
        var written = result.SaveModel(folder, runId: "0123456789abcdef0123456789abcdef", artifactPath: "model");

        var loaded = MlnetModel.Load(folder);
        var expected = result.TestPredictions!.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(v => v.ToString()).ToArray();
        var actual = loaded.Predict(TestDatasets.Iris(new MLContext()))
            .GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(v => v.ToString()).ToArray();
        var direct = result.Model.Transform(TestDatasets.Iris(new MLContext())).GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(v => v.ToString()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(folder, "MLmodel")), Is.True);
            Assert.That(File.Exists(Path.Combine(folder, "model.zip")), Is.True);
            Assert.That(actual, Is.EqualTo(direct), "the loaded model predicts as the trained one");
            Assert.That(expected, Is.All.AnyOf("setosa", "versicolor", "virginica"));
            Assert.That(loaded.Metadata, Is.EqualTo(written));
            Assert.That(loaded.Metadata.RunId, Is.EqualTo("0123456789abcdef0123456789abcdef"));
            Assert.That(loaded.Metadata.ArtifactPath, Is.EqualTo("model"));
            Assert.That(loaded.Metadata.ModelFile, Is.EqualTo("model.zip"));
            Assert.That(loaded.Metadata.MlnetVersion, Does.StartWith("5.0"));
            Assert.That(loaded.Metadata.ModelUuid, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(loaded.Metadata.UtcTimeCreated, Does.Match(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$"));
        });
    }

    [Test]
    public async Task TheMlmodelFileIsMlflowsYamlWithSignatureAndExample()
    {
        var result = await TrainIrisAsync();
        var folder = Path.Combine(_folder.Path, "model");
        result.SaveModel(folder, runId: "abc", artifactPath: "model");
        var yaml = File.ReadAllText(Path.Combine(folder, "MLmodel"));
        Assert.That(yaml, Does.StartWith("artifact_path: model\nflavors:\n  mlnet:\n    mlnet_version: "));
        Assert.That(yaml, Does.Contain("    model_file: model.zip\n"));
        Assert.That(yaml, Does.Contain("saved_input_example_info:\n  artifact_path: input_example.json\n  pandas_orient: split\n  type: dataframe\n"));
        Assert.That(yaml, Does.Contain("utc_time_created: '"));

        using var inputs = JsonDocument.Parse(result.SaveModelSignatureInputs(folder));
        Assert.That(inputs.RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()),
            Is.EqualTo(new[] { "Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width" }), "the label is not an input");
        Assert.That(inputs.RootElement[0].GetProperty("type").GetString(), Is.EqualTo("float"));

        using var example = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "input_example.json")));
        Assert.That(example.RootElement.GetProperty("columns").GetArrayLength(), Is.EqualTo(4));
        Assert.That(example.RootElement.GetProperty("data").GetArrayLength(), Is.EqualTo(5));
        Assert.That(example.RootElement.GetProperty("data")[0][0].GetDouble(), Is.EqualTo(5.1).Within(1e-6));

        var outputs = MlModelFile.Parse(yaml).SignatureOutputs;
        Assert.That(outputs, Does.Contain("\"name\": \"PredictedLabel\"").And.Contain("\"type\": \"string\""));
    }

    [Test]
    public async Task ALoadedModelPredictsOnObjectsWithoutTheLabel()
    {
        var result = await TrainIrisAsync();
        var folder = Path.Combine(_folder.Path, "model");
        result.SaveModel(folder);
        var loaded = MlnetModel.Load(folder);
        var predictions = loaded.Predict<Flower, FlowerPrediction>([
            new Flower { SepalLength = 5.1f, SepalWidth = 3.5f, PetalLength = 1.4f, PetalWidth = 0.2f },
            new Flower { SepalLength = 6.7f, SepalWidth = 3.0f, PetalLength = 5.2f, PetalWidth = 2.3f },
        ]);
        Assert.That(predictions.Select(p => p.PredictedLabel), Is.EqualTo(new[] { "setosa", "virginica" }));
    }

    [Test]
    public void TheLogModelJsonHasMlflowsMandatoryFields()
    {
        var file = new MlModelFile
        {
            RunId = "r1",
            ArtifactPath = "model",
            UtcTimeCreated = MlModelFile.FormatTime(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234560)),
            ModelUuid = "8f828ccaa97c4d049ef41864e4f2eb61",
            MlnetVersion = "5.0.1",
        };
        Assert.Multiple(() =>
        {
            Assert.That(file.UtcTimeCreated, Is.EqualTo("2026-01-02 03:04:05.123456"));
            Assert.That(file.ToLogModelJson(), Is.EqualTo(
                "{\"run_id\": \"r1\", \"artifact_path\": \"model\", \"utc_time_created\": \"2026-01-02 03:04:05.123456\", " +
                "\"model_uuid\": \"8f828ccaa97c4d049ef41864e4f2eb61\", \"flavors\": {\"mlnet\": {\"mlnet_version\": \"5.0.1\", \"model_file\": \"model.zip\"}}}"));
            Assert.That(MlModelFile.Parse(file.ToYaml()), Is.EqualTo(file));
        });
    }

    [Test]
    public void LoadingRejectsMissingFoldersForeignModelsAndEscapingPaths()
    {
        var empty = Path.Combine(_folder.Path, "empty");
        Directory.CreateDirectory(empty);
        var foreign = Path.Combine(_folder.Path, "foreign");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "MLmodel"), "flavors:\n  sklearn:\n    pickled_model: model.pkl\nutc_time_created: '2026-01-01 00:00:00'\n");
        var escaping = Path.Combine(_folder.Path, "escaping");
        Directory.CreateDirectory(escaping);
        File.WriteAllText(Path.Combine(escaping, "MLmodel"), "flavors:\n  mlnet:\n    model_file: ../secret.zip\nutc_time_created: '2026-01-01 00:00:00'\n");
        Assert.Multiple(() =>
        {
            Assert.That(() => MlnetModel.Load(Path.Combine(_folder.Path, "nothing")), Throws.InstanceOf<DirectoryNotFoundException>());
            Assert.That(() => MlnetModel.Load(empty), Throws.InstanceOf<FileNotFoundException>().With.Message.Contains("MLmodel"));
            Assert.That(() => MlnetModel.Load(foreign), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("mlnet"));
            Assert.That(() => MlnetModel.Load(escaping), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("outside"));
        });
    }

    [Test]
    public async Task SavingIntoANonEmptyFolderFails()
    {
        var result = await TrainIrisAsync();
        File.WriteAllText(Path.Combine(_folder.Path, "keep.txt"), "mine");
        Assert.That(() => result.SaveModel(_folder.Path), Throws.InstanceOf<IOException>());
        Assert.That(File.ReadAllText(Path.Combine(_folder.Path, "keep.txt")), Is.EqualTo("mine"));
    }
}

internal static class SignatureReading
{
    public static string SaveModelSignatureInputs(this WorkflowResult result, string folder) =>
        MlModelFile.Parse(File.ReadAllText(Path.Combine(folder, "MLmodel"))).SignatureInputs!;
}
