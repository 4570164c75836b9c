using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Tests.Registry;

/// <summary>The files of the registry byte for byte: MLflow's file-based registry layout and the store MLflow 2.17.2 wrote (TestData).</summary>
public class RegistryLayoutTests : RegistryTestFixture
{
    private const string Source = "file:///srv/mlflow-demo-a/mlruns/379124300427703249/7e0f161753684736bcf9df1d92fb4686/artifacts/model";
    private const string RunId = "7e0f161753684736bcf9df1d92fb4686";

    private static string MlflowFile(string relativePath) =>
        System.IO.File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "mlflow-file-store", "mlruns", relativePath));

    [Test]
    public async Task Replaying_mlflows_steps_writes_the_same_bytes_as_mlflow()
    {
        var registry = OpenRegistry();
        Clock.Now = 1795770440240;
        await registry.CreateRegisteredModelAsync("SalesForecastModelA", [new RegisteredModelTag("owner", "forecasting")], "Monthly sales forecast");
        Clock.Now = 1795770440241;
        await registry.CreateModelVersionAsync(new CreateModelVersionRequest("SalesForecastModelA", Source) { RunId = RunId });
        Clock.Now = 1795770440244;
        await registry.CreateModelVersionAsync(new CreateModelVersionRequest("SalesForecastModelA", Source) { RunId = RunId });
        Clock.Now = 1795770440246;
        await registry.TransitionModelVersionStageAsync("SalesForecastModelA", 1, ModelVersionStage.Production, false);
        Clock.Now = 1795770440247;
        await registry.TransitionModelVersionStageAsync("SalesForecastModelA", 2, ModelVersionStage.Staging, false);
        await registry.SetModelVersionTagAsync("SalesForecastModelA", 2, new ModelVersionTag("validated", "false"));
        Clock.Now = 1795770440256;
        await registry.SetRegisteredModelAliasAsync("SalesForecastModelA", "champion", 1);

        foreach (var file in new[]
        {
            "models/SalesForecastModelA/meta.yaml",
            "models/SalesForecastModelA/tags/owner",
            "models/SalesForecastModelA/aliases/champion",
            "models/SalesForecastModelA/version-1/meta.yaml",
            "models/SalesForecastModelA/version-2/meta.yaml",
            "models/SalesForecastModelA/version-2/tags/validated",
        })
        {
            Assert.That(ReadFile(file), Is.EqualTo(MlflowFile(file)), file);
        }

        var written = Directory.EnumerateFileSystemEntries(Path.Combine(Root, "models", "SalesForecastModelA"), "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/')).Order(StringComparer.Ordinal);
        var mlflow = Directory.EnumerateFileSystemEntries(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "mlflow-file-store", "mlruns", "models", "SalesForecastModelA"), "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "mlflow-file-store", "mlruns"), p).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.That(written, Is.EqualTo(mlflow), "the same files and folders, nothing more (no temp file left)");
    }

    [Test]
    public async Task A_new_model_and_version_are_written_as_in_the_protocol_examples()
    {
        var registry = OpenRegistry();
        Clock.Now = 1795769296532;
        await registry.CreateRegisteredModelAsync("m1", description: "hello");
        Assert.That(ReadFile("models/m1/meta.yaml"), Is.EqualTo(
            "aliases: {}\ncreation_timestamp: 1795769296532\ndescription: hello\nlast_updated_timestamp: 1795769296532\nname: m1\n"));

        await registry.CreateRegisteredModelAsync("my-model");
        Clock.Now = 1795769030224;
        await registry.CreateModelVersionAsync(new CreateModelVersionRequest("my-model", "file:///srv/demo/mlruns/943566917813371674/1399186a25dc4382ae7f967356f4c2dc/artifacts/model") { RunId = "1399186a25dc4382ae7f967356f4c2dc" });
        Assert.That(ReadFile("models/my-model/version-1/meta.yaml"), Is.EqualTo(
            "aliases: []\ncreation_timestamp: 1795769030224\ncurrent_stage: None\ndescription: null\nlast_updated_timestamp: 1795769030224\n"
            + "name: my-model\nrun_id: 1399186a25dc4382ae7f967356f4c2dc\nrun_link: null\n"
            + "source: file:///srv/demo/mlruns/943566917813371674/1399186a25dc4382ae7f967356f4c2dc/artifacts/model\nstatus: READY\nstatus_message: null\n"
            + "storage_location: file:///srv/demo/mlruns/943566917813371674/1399186a25dc4382ae7f967356f4c2dc/artifacts/model\nuser_id: null\nversion: 1\n"));
    }

    [Test]
    public async Task Alias_snapshots_and_awkward_strings_are_quoted_so_that_yaml_reads_them_back()
    {
        var registry = await RegistryWithVersionsAsync("m1", 2);
        await registry.SetRegisteredModelAliasAsync("m1", "prod", 2);
        await registry.SetRegisteredModelAliasAsync("m1", "123", 1);
        await registry.UpdateRegisteredModelAsync("m1", "yes");
        var meta = ReadFile("models/m1/meta.yaml");
        Assert.That(meta, Does.StartWith("aliases:\n  '123': '1'\n  prod: '2'\n"));
        Assert.That(meta, Does.Contain("description: 'yes'\n"));

        var model = await OpenRegistry().GetRegisteredModelAsync("m1");
        Assert.That(model.Description, Is.EqualTo("yes"));
        Assert.That(model.Aliases, Is.EqualTo(new[] { new RegisteredModelAlias("123", 1), new RegisteredModelAlias("prod", 2) }));
    }
}
