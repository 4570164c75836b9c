using System.Security.Cryptography;
using System.Text;
using MlWorkflow.Tracking;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>The bytes the store writes, against MLflow's layout (MLflow's file store, https://mlflow.org/docs/latest/tracking/backend-stores.html) and the MLflow-written test store.</summary>
public class FileStoreLayoutTests : TempStoreFixture
{
    private const long T0 = 1_700_000_000_000;

    private string RootUri => "file://" + Root;

    private string MlflowFile(string relativePath) =>
        System.IO.File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "mlflow-file-store", "mlruns", relativePath));

    [Test]
    public async Task First_use_creates_the_default_experiment_and_trash()
    {
        var store = OpenStore(new ManualClock(T0));
        var experiment = await store.GetExperimentAsync("0");

        Assert.That(experiment.Name, Is.EqualTo("Default"));
        Assert.That(Directory.Exists(Path.Combine(Root, ".trash")), Is.True);
        Assert.That(ReadFile("0/meta.yaml"), Is.EqualTo(
            $"artifact_location: {RootUri}/0\ncreation_time: {T0}\nexperiment_id: '0'\nlast_update_time: {T0}\nlifecycle_stage: active\nname: Default\n"));
    }

    [Test]
    public async Task Experiment_meta_and_tags_are_written_as_mlflow_writes_them()
    {
        var store = OpenStore(new ManualClock(T0));
        var id = await store.CreateExperimentAsync("sales-forecast", tags: [new ExperimentTag("team", "ml"), new ExperimentTag("a/b", "nested")]);

        Assert.That(id, Does.Match("^[1-9][0-9]{17}$"));
        Assert.That(ReadFile($"{id}/meta.yaml"), Is.EqualTo(
            $"artifact_location: {RootUri}/{id}\ncreation_time: {T0}\nexperiment_id: '{id}'\nlast_update_time: {T0}\nlifecycle_stage: active\nname: sales-forecast\n"));
        Assert.That(ReadFile($"{id}/tags/team"), Is.EqualTo("ml"));
        Assert.That(ReadFile($"{id}/tags/a/b"), Is.EqualTo("nested"));
    }

    [Test]
    public async Task Names_that_yaml_would_read_as_other_types_are_quoted()
    {
        var store = OpenStore(new ManualClock(T0));
        var yes = await store.CreateExperimentAsync("yes");
        var number = await store.CreateExperimentAsync("123");
        var colon = await store.CreateExperimentAsync("a: b");
        var quote = await store.CreateExperimentAsync("it's");
        var lines = await store.CreateExperimentAsync("two\nlines");

        Assert.That(ReadFile($"{yes}/meta.yaml"), Does.Contain("name: 'yes'\n"));
        Assert.That(ReadFile($"{number}/meta.yaml"), Does.Contain("name: '123'\n"));
        Assert.That(ReadFile($"{colon}/meta.yaml"), Does.Contain("name: 'a: b'\n"));
        Assert.That(ReadFile($"{quote}/meta.yaml"), Does.Contain("name: it's\n"));
        Assert.That(ReadFile($"{lines}/meta.yaml"), Does.Contain("name: \"two\\nlines\"\n"));
        foreach (var (id, name) in new[] { (yes, "yes"), (number, "123"), (colon, "a: b"), (quote, "it's"), (lines, "two\nlines") })
        {
            Assert.That((await OpenStore().GetExperimentAsync(id)).Name, Is.EqualTo(name));
        }
    }

    [Test]
    public async Task Run_meta_follows_mlflow_through_create_update_and_delete()
    {
        var clock = new ManualClock(T0);
        var store = OpenStore(clock);
        var experimentId = await store.CreateExperimentAsync("e");
        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, RunName = "r1", UserId = "alice", StartTime = T0 });
        var runId = run.Info.RunId;
        var prefix = $"{experimentId}/{runId}";
        string Expected(string deleted, string endTime, string stage, int status) =>
            $"artifact_uri: {RootUri}/{experimentId}/{runId}/artifacts\n{deleted}end_time: {endTime}\nentry_point_name: ''\nexperiment_id: '{experimentId}'\n"
            + $"lifecycle_stage: {stage}\nrun_id: {runId}\nrun_name: r1\nrun_uuid: {runId}\nsource_name: ''\nsource_type: 4\nsource_version: ''\n"
            + $"start_time: {T0}\nstatus: {status}\ntags: []\nuser_id: alice\n";

        Assert.That(runId, Does.Match("^[0-9a-f]{32}$"));
        Assert.That(ReadFile($"{prefix}/meta.yaml"), Is.EqualTo(Expected("deleted_time: null\n", "null", "active", 1)));
        Assert.That(ReadFile($"{prefix}/tags/mlflow.runName"), Is.EqualTo("r1"));
        Assert.That(Directory.Exists(Path.Combine(Root, experimentId, runId, "artifacts")), Is.True);
        Assert.That(Directory.Exists(Path.Combine(Root, experimentId, runId, "metrics")), Is.True);
        Assert.That(Directory.Exists(Path.Combine(Root, experimentId, runId, "params")), Is.True);
        Assert.That(run.Info.ArtifactUri, Is.EqualTo($"{RootUri}/{experimentId}/{runId}/artifacts"));

        await store.UpdateRunInfoAsync(runId, RunStatus.Finished, T0 + 5000);
        Assert.That(ReadFile($"{prefix}/meta.yaml"), Is.EqualTo(Expected(string.Empty, $"{T0 + 5000}", "active", 3)));

        clock.Now = T0 + 9000;
        await store.DeleteRunAsync(runId);
        Assert.That(ReadFile($"{prefix}/meta.yaml"), Is.EqualTo(Expected($"deleted_time: {T0 + 9000}\n", $"{T0 + 5000}", "deleted", 3)));

        await store.RestoreRunAsync(runId);
        Assert.That(ReadFile($"{prefix}/meta.yaml"), Is.EqualTo(Expected(string.Empty, $"{T0 + 5000}", "active", 3)));
    }

    [Test]
    public async Task Metric_params_and_tag_files_hold_mlflow_bytes()
    {
        var store = OpenStore(new ManualClock(T0));
        var run = await store.CreateRunAsync(new CreateRunRequest { RunName = "r" });
        var id = run.Info.RunId;
        await store.LogBatchAsync(
            id,
            [new Metric("loss", 0.5, T0, 0), new Metric("loss", 0.25, T0 + 1000, 1), new Metric("m/b", double.NaN, T0, 0)],
            [new Param("lr", "0.01"), new Param("nested/param", "x")],
            [new RunTag("note", "line1\nline2"), new RunTag("x/y", "z")]);

        var prefix = $"0/{id}";
        Assert.That(ReadFile($"{prefix}/metrics/loss"), Is.EqualTo($"{T0} 0.5 0\n{T0 + 1000} 0.25 1\n"));
        Assert.That(ReadFile($"{prefix}/metrics/m/b"), Is.EqualTo($"{T0} nan 0\n"));
        Assert.That(ReadFile($"{prefix}/params/lr"), Is.EqualTo("0.01"));
        Assert.That(ReadFile($"{prefix}/params/nested/param"), Is.EqualTo("x"));
        Assert.That(ReadFile($"{prefix}/tags/note"), Is.EqualTo("line1\nline2"));
        Assert.That(ReadFile($"{prefix}/tags/x/y"), Is.EqualTo("z"));
        Assert.That(Directory.GetFiles(Path.Combine(Root, "0", id), "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f).StartsWith(".tmp", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task Dataset_and_input_meta_match_the_files_mlflow_wrote()
    {
        var store = OpenStore(new ManualClock(T0));
        var run = await store.CreateRunAsync(new CreateRunRequest { RunName = "r" });
        var dataset = new Dataset(
            "sales-silver",
            "d77d5191",
            "local",
            "{\"uri\": \"/data/sales/silver.parquet\"}",
            "{\"mlflow_colspec\": [{\"type\": \"double\", \"name\": \"x1\", \"required\": true}, {\"type\": \"double\", \"name\": \"x2\", \"required\": true}, {\"type\": \"double\", \"name\": \"y\", \"required\": true}]}",
            "{\"num_rows\": 20, \"num_elements\": 60}");
        await store.LogInputsAsync(run.Info.RunId, [new DatasetInput(dataset, [new InputTag("mlflow.data.context", "training")])]);

        const string mlflowExperiment = "379124300427703249";
        const string mlflowDatasetId = "b62c19eccd93ea2de22ee33aba5f4428";
        Assert.That(ReadFile($"0/datasets/{mlflowDatasetId}/meta.yaml"), Is.EqualTo(MlflowFile($"{mlflowExperiment}/datasets/{mlflowDatasetId}/meta.yaml")));
        var inputId = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(mlflowDatasetId + run.Info.RunId)));
        Assert.That(ReadFile($"0/{run.Info.RunId}/inputs/{inputId}/meta.yaml"), Is.EqualTo(MlflowFile($"{mlflowExperiment}/7e0f161753684736bcf9df1d92fb4686/inputs/f74cd48f8646dc23acf369c652e3684b/meta.yaml")));
        Assert.That(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(mlflowDatasetId + "7e0f161753684736bcf9df1d92fb4686"))), Is.EqualTo("f74cd48f8646dc23acf369c652e3684b"));
    }

    [Test]
    public async Task Deleted_experiment_moves_to_trash_with_mlflow_meta()
    {
        var clock = new ManualClock(T0);
        var store = OpenStore(clock);
        var id = await store.CreateExperimentAsync("to-delete");
        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = id });
        clock.Now = T0 + 1;
        await store.DeleteExperimentAsync(id);

        Assert.That(Directory.Exists(Path.Combine(Root, id)), Is.False);
        Assert.That(ReadFile($".trash/{id}/meta.yaml"), Is.EqualTo(
            $"artifact_location: {RootUri}/{id}\ncreation_time: {T0}\nexperiment_id: '{id}'\nlast_update_time: {T0 + 1}\nlifecycle_stage: deleted\nname: to-delete\ntags: {{}}\n"));
        Assert.That(ReadFile($".trash/{id}/{run.Info.RunId}/meta.yaml"), Does.Contain($"deleted_time: {T0 + 1}\n").And.Contain("lifecycle_stage: deleted\n"));
    }

    [Test]
    public async Task Logged_model_history_is_reduced_and_written_as_python_json()
    {
        var store = OpenStore();
        var run = await store.CreateRunAsync(new CreateRunRequest());
        const string model = """
            {"artifact_path": "model", "flavors": {"python_function": {"model_path": "model.pkl", "predict_fn": "predict", "loader_module": "mlflow.sklearn", "python_version": "3.11.2", "env": {"conda": "conda.yaml", "virtualenv": "python_env.yaml"}, "config": {"x": 1}}, "sklearn": {"pickled_model": "model.pkl", "sklearn_version": "1.2.1", "serialization_format": "cloudpickle", "code": null}},
             "mlflow_version": "2.17.2", "model_uuid": "796943ddc3b6449c9e30378167ae5505", "run_id": "7e0f161753684736bcf9df1d92fb4686", "utc_time_created": "2026-11-27 09:07:18.233479", "signature": {"inputs": "[]"}}
            """;
        await store.RecordLoggedModelAsync(run.Info.RunId, model);

        var written = ReadFile($"0/{run.Info.RunId}/tags/mlflow.log-model.history");
        Assert.That(written, Is.EqualTo(MlflowFile("379124300427703249/7e0f161753684736bcf9df1d92fb4686/tags/mlflow.log-model.history")));

        await store.RecordLoggedModelAsync(run.Info.RunId, model);
        var twice = ReadFile($"0/{run.Info.RunId}/tags/mlflow.log-model.history");
        Assert.That(twice, Is.EqualTo("[" + written[1..^1] + ", " + written[1..^1] + "]"));
    }

    [Test]
    public async Task Moved_store_reads_artifact_locations_relative_to_its_new_root()
    {
        CopyMlflowStore();
        var store = OpenStore();
        var experiment = await store.GetExperimentAsync("379124300427703249");
        var run = await store.GetRunAsync("7e0f161753684736bcf9df1d92fb4686");

        Assert.That(experiment.ArtifactLocation, Is.EqualTo($"{RootUri}/379124300427703249"));
        Assert.That(run.Info.ArtifactUri, Is.EqualTo($"{RootUri}/379124300427703249/7e0f161753684736bcf9df1d92fb4686/artifacts"));
    }
}
