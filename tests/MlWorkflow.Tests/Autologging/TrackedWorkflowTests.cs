using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Autologging;
using MlWorkflow.Data;
using MlWorkflow.Models;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Autologging;

public sealed class TrackedWorkflowTests : TrackedStoreFixture
{
    [TestCase("models:NoSuchModel")]
    [TestCase("runs:abc")]
    public async Task A_registry_or_run_uri_missing_its_slash_names_the_expected_forms(string uri)
    {
        var error = await Assert.ThrowsAsync<MlflowException>(() => Client.LoadMlnetModelAsync(uri));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain(uri).And.Contain(uri.StartsWith("models:", StringComparison.Ordinal) ? "models:/model_name@alias" : "runs:/<run_id>"));
    }

    private MlWorkflow.Workflow Iris(MLContext ml, string runName) => MlWorkflow.Workflow.Create(5, ml)
        .Load(DataSource.Csv(TestDatasets.PathOf("iris.csv")))
        .Label("Species")
        .Split(0.3)
        .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
        .Evaluate(plots: true, plotsFolder: Path.Combine(TempPath, "plots"))
        .Track(Client, "iris-autolog", runName);

    [Test]
    public async Task A_tracked_workflow_logs_params_dataset_metrics_plots_and_the_model()
    {
        var ml = new MLContext(5);
        var result = await Iris(ml, "maxent").RunAsync();

        Assert.That(result.Tracking!.RunId, Is.Not.Null);
        Assert.That(result.Tracking!.ModelUri, Is.EqualTo($"runs:/{result.Tracking!.RunId}/model"));
        var run = await Client.GetRunAsync(result.Tracking!.RunId!);
        Assert.Multiple(() =>
        {
            Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Finished));
            Assert.That(run.Info.RunName, Is.EqualTo("maxent"));
            Assert.That(run.Data.GetTag("mlflow.autologging"), Is.EqualTo(MlflowWorkflowObserver.AutologgingFlavor));
            foreach (var (key, value) in result.Params)
            {
                Assert.That(run.Data.GetParam(key), Is.EqualTo(value), key);
            }

            foreach (var (name, value) in result.Metrics)
            {
                Assert.That(run.Data.GetMetric(name)?.Value, Is.EqualTo(value).Within(1e-12), name);
            }

            Assert.That(run.Data.GetMetric("training_duration_s"), Is.Not.Null);
            var input = run.Inputs.DatasetInputs.Single();
            Assert.That(input.Dataset.Name, Does.Contain("iris"));
            Assert.That(input.Dataset.Digest, Is.Not.Empty);
            Assert.That(input.Tags.Single().Value, Is.EqualTo("training"));
        });

        var history = run.Data.GetTag("mlflow.log-model.history");
        Assert.That(history, Is.Not.Null);
        using (var json = JsonDocument.Parse(history!))
        {
            var entry = json.RootElement[0];
            Assert.That(entry.GetProperty("run_id").GetString(), Is.EqualTo(result.Tracking!.RunId));
            Assert.That(entry.GetProperty("artifact_path").GetString(), Is.EqualTo("model"));
            Assert.That(entry.GetProperty("flavors").TryGetProperty("mlnet", out _), Is.True);
        }

        var model = await Client.ListArtifactsAsync(result.Tracking!.RunId!, "model");
        Assert.That(model.Select(f => f.Path), Is.SupersetOf(new[] { "model/MLmodel", "model/model.zip", "model/input_example.json" }));
        var plots = await Client.ListArtifactsAsync(result.Tracking!.RunId!, "plots");
        Assert.That(plots.Select(f => f.Path), Is.Not.Empty.And.All.EndsWith(".png"));
    }

    [Test]
    public async Task The_logged_model_loads_back_from_its_runs_uri_and_predicts_like_the_original()
    {
        var ml = new MLContext(5);
        var result = await Iris(ml, "reload").RunAsync();

        var loaded = await Client.LoadMlnetModelAsync(result.Tracking!.ModelUri!);
        var data = result.Data;
        var original = result.Model.Transform(data).GetColumn<string>("PredictedLabel").ToArray();
        var reloaded = loaded.Predict(data).GetColumn<string>("PredictedLabel").ToArray();
        Assert.That(reloaded, Is.EqualTo(original));
        Assert.That(loaded.Metadata.RunId, Is.EqualTo(result.Tracking!.RunId));
    }

    [Test]
    public async Task A_client_without_a_registry_still_loads_runs_uris()
    {
        var result = await Iris(new MLContext(5), "no-registry").RunAsync();
        var trackingOnly = new MlflowClient(Client.Store);

        var loaded = await trackingOnly.LoadMlnetModelAsync(result.Tracking!.ModelUri!);

        Assert.That(loaded.Metadata.RunId, Is.EqualTo(result.Tracking!.RunId));
        Assert.Throws<InvalidOperationException>(() => _ = trackingOnly.Registry);
    }

    [Test]
    public async Task A_failed_workflow_ends_its_run_failed_with_the_error_and_keeps_what_was_logged()
    {
        var ml = new MLContext(1);
        var workflow = MlWorkflow.Workflow.Create(1, ml)
            .Load(DataSource.Csv(TestDatasets.PathOf("iris.csv")))
            .Features(f => f.Map<PetalRow, PetalRow>("explode", (input, output) => throw new InvalidOperationException("feature code blew up")))
            .Label("Species")
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .Track(Client, "iris-autolog", "doomed");

        var failure = await Assert.CatchAsync(async () => await workflow.RunAsync());
        Assert.That(failure!.ToString(), Does.Contain("feature code blew up"));

        var runs = await Client.SearchRunsAsync(new SearchRunsRequest
        {
            ExperimentIds = [(await Client.GetExperimentByNameAsync("iris-autolog"))!.ExperimentId],
            Filter = "attributes.run_name = 'doomed'",
        });
        var run = runs.Items.Single();
        Assert.That(run.Info.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(run.Data.GetTag("mlworkflow.error.message"), Does.Contain("feature code blew up"));
        Assert.That(run.Data.Params, Is.Not.Empty, "the params logged before the failure stay");
        Assert.That(run.Inputs.DatasetInputs, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_same_seed_gives_the_same_logged_metrics()
    {
        var first = await Iris(new MLContext(5), "a").RunAsync();
        var second = await Iris(new MLContext(5), "b").RunAsync();
        var a = await Client.GetRunAsync(first.Tracking!.RunId!);
        var b = await Client.GetRunAsync(second.Tracking!.RunId!);
        foreach (var name in first.Metrics.Keys)
        {
            Assert.That(b.Data.GetMetric(name)!.Value, Is.EqualTo(a.Data.GetMetric(name)!.Value), name);
        }
    }

    [Test]
    public async Task A_tracked_result_registers_is_promoted_and_loads_by_stage_alias_and_version()
    {
        var ml = new MLContext(5);
        var first = await Iris(ml, "v1").RunAsync();
        var second = await Iris(ml, "v2").RunAsync();

        var v1 = await first.Tracking!.RegisterAsync("IrisModel");
        var v2 = await second.Tracking!.RegisterAsync("IrisModel");
        Assert.That((v1.Version, v2.Version), Is.EqualTo((1, 2)));
        Assert.That(v2.RunId, Is.EqualTo(second.Tracking!.RunId));

        await Client.Registry.TransitionStageAsync("IrisModel", 2, ModelVersionStage.Production, archiveExistingVersions: true);
        await Client.Registry.SetAliasAsync("IrisModel", "champion", 2);

        foreach (var uri in new[] { "models:/IrisModel/Production", "models:/IrisModel@champion", "models:/IrisModel/2", "models:/IrisModel/latest" })
        {
            var model = await Client.LoadMlnetModelAsync(uri);
            Assert.That(model.Metadata.RunId, Is.EqualTo(second.Tracking!.RunId), uri);
            var predicted = model.Predict(second.Data).GetColumn<string>("PredictedLabel").ToArray();
            Assert.That(predicted, Is.EqualTo(second.Model.Transform(second.Data).GetColumn<string>("PredictedLabel").ToArray()), uri);
        }

        var unknown = await Assert.ThrowsAsync<MlflowException>(() => Client.LoadMlnetModelAsync("models:/IrisModel/Staging"));
        Assert.That(unknown!.Message, Does.Contain("Staging"));
    }

    [Test]
    public async Task An_untracked_result_has_no_tracking()
    {
        var ml = new MLContext(5);
        var result = await MlWorkflow.Workflow.Create(5, ml)
            .Load(DataSource.Csv(TestDatasets.PathOf("iris.csv")))
            .Label("Species")
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .RunAsync();
        Assert.That(result.Tracking, Is.Null, "an untracked result has no run to register");
    }

    public sealed class PetalRow
    {
        [ColumnName("Petal.Length")]
        public double PetalLength { get; set; }
    }
}
