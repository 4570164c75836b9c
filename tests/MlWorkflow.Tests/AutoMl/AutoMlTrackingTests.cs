using MlWorkflow.AutoMl;
using MlWorkflow.Data;
using MlWorkflow.Tests.Autologging;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Tracking;

namespace MlWorkflow.Tests.AutoMl;

/// <summary>A tracked search in a real file store: a parent run and one nested run per trial, as Databricks AutoML records them.</summary>
public sealed class AutoMlTrackingTests : TrackedStoreFixture
{
    [Test]
    public async Task A_tracked_search_logs_a_parent_run_with_the_model_and_leaderboard_and_a_child_run_per_trial()
    {
        var written = new List<string>();
        // The best trial alone: an ensemble's parent run and leaderboard line are covered by AutoMlEnsembleTests.
        using var result = await MlWorkflow.Workflow.Create(seed: 42)
            .Load(DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv")))
            .Label("target")
            .AutoMl(o => o.Trials(4).Ensemble(false).Track(Client, "automl-tracking", runName: "search", registerAs: "cancer-winner").WriteArtifacts(new NoteWriter(written)))
            .RunAsync();

        var experiment = await Client.GetExperimentByNameAsync("automl-tracking");
        var runs = (await Client.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experiment!.ExperimentId] })).Items;
        var parent = runs.Single(r => r.Data.GetTag("mlworkflow.automl") == "parent");
        var children = runs.Where(r => r.Data.GetTag("mlworkflow.automl") == "trial").ToArray();
        var leaderboard = await File.ReadAllTextAsync(Path.Combine(await Client.DownloadArtifactsAsync(parent.Info.RunId, "leaderboard.csv", TempPath)));
        var model = await Client.ListArtifactsAsync(parent.Info.RunId, "model");
        var notes = await Client.ListArtifactsAsync(parent.Info.RunId, "notes");

        Assert.Multiple(() =>
        {
            Assert.That(result.RunId, Is.EqualTo(parent.Info.RunId));
            Assert.That(parent.Info.RunName, Is.EqualTo("search"));
            Assert.That(parent.Info.Status, Is.EqualTo(RunStatus.Finished));
            Assert.That(children, Has.Length.EqualTo(4));
            Assert.That(children.Select(c => c.Data.GetTag("mlflow.parentRunId")), Is.All.EqualTo(parent.Info.RunId));
            Assert.That(children.Select(c => c.Info.RunId), Is.EquivalentTo(result.Trials.Select(t => t.RunId)));
            Assert.That(children.Select(c => c.Data.GetParam("trainer")), Is.All.Not.Null);
            Assert.That(children.Where(c => c.Info.Status == RunStatus.Finished).Select(c => c.Data.GetMetric("val_auc")), Is.All.Not.Null);

            // The parent: the winner's params, its test metrics, its validation score, its model, registered.
            Assert.That(parent.Data.GetParam("trainer"), Is.EqualTo(result.BestTrainer.Name));
            Assert.That(parent.Data.GetParam("automl_metric"), Is.EqualTo("auc"));
            Assert.That(parent.Data.GetMetric("auc")!.Value, Is.EqualTo(result.TestMetrics.Auc));
            Assert.That(parent.Data.GetMetric("val_auc")!.Value, Is.EqualTo(result.BestTrial.ValidationScore));
            Assert.That(parent.Data.GetTag("mlworkflow.automl.best_trial_run_id"), Is.EqualTo(result.BestTrial.RunId));
            Assert.That(model.Select(a => a.Path), Does.Contain("model/MLmodel"));
            Assert.That(result.ModelUri, Is.EqualTo($"runs:/{parent.Info.RunId}/model"));
            Assert.That(result.RegisteredVersion!.Version, Is.EqualTo(1));
            Assert.That(result.RegisteredVersion.RunId, Is.EqualTo(parent.Info.RunId));

            // One leaderboard line per trial after the header, the best first.
            var lines = leaderboard.TrimEnd('\n').Split('\n');
            Assert.That(lines, Has.Length.EqualTo(5));
            Assert.That(lines[0], Does.StartWith("rank,trial,run_id,trainer,status,val_auc"));
            // Ranked by validation score: the top trial first, which the one-standard-error rule may pass over for a simpler one.
            var top = result.TopTrial!;
            Assert.That(lines[1], Does.StartWith($"1,{top.Number},{top.RunId},{top.Trainer.Name},succeeded"));

            // The seam for generated code: a writer's files land under its artifact path, with the winner's workflow at hand.
            Assert.That(notes.Select(a => a.Path), Is.EquivalentTo(new[] { "notes/winner.txt" }));
            Assert.That(written, Is.EqualTo(new[] { result.BestTrainer.Name }));
        });
    }

    [Test]
    public async Task A_tracked_search_logs_its_data_profile_and_the_winner_as_a_project_and_a_notebook()
    {
        var path = TestDatasets.PathOf("breast_cancer.csv");
        using var result = await MlWorkflow.Workflow.Create(seed: 7)
            .Load(DataSource.Csv(path))
            .Label("target")
            .AutoMl(o => o.Trials(2).Track(Client, "automl-artifacts").GenerateCode(path, MlWorkflow.CodeGeneration.DataFileFormat.Csv))
            .RunAsync();
        using var quiet = await MlWorkflow.Workflow.Create(seed: 7)
            .Load(DataSource.Csv(path))
            .Label("target")
            .AutoMl(o => o.Trials(1).Track(Client, "automl-artifacts").ProfileData(false))
            .RunAsync();

        var code = (await Client.ListArtifactsAsync(result.RunId!, "code")).Select(a => a.Path).ToArray();
        var profile = (await Client.ListArtifactsAsync(result.RunId!, "data_profile")).Select(a => a.Path).ToArray();
        var program = await File.ReadAllTextAsync(await Client.DownloadArtifactsAsync(result.RunId!, code.Single(p => p.EndsWith("Program.cs", StringComparison.Ordinal)), TempPath));
        var report = await File.ReadAllTextAsync(await Client.DownloadArtifactsAsync(result.RunId!, "data_profile/data_profile.md", TempPath));
        var quietArtifacts = (await Client.ListArtifactsAsync(quiet.RunId!)).Select(a => a.Path).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(code, Has.Some.EndsWith(".csproj").And.Some.EndsWith(".ipynb"));
            Assert.That(program, Does.Contain("Trainers.BinaryClassification.").And.Contain(".Label(\"target\")"));
            Assert.That(profile, Does.Contain("data_profile/data_profile.md"));
            Assert.That(report, Does.Contain("mean_radius"), "the report covers the data's columns");
            Assert.That(quietArtifacts, Does.Not.Contain("data_profile").And.Not.Contain("code"));
        });
    }

    private sealed class NoteWriter(List<string> written) : IAutoMlArtifactWriter
    {
        public string ArtifactPath => "notes";

        public async Task WriteAsync(AutoMlResult result, string folder, CancellationToken cancellationToken)
        {
            written.Add(result.BestWorkflow.Trainer!.Name);
            await File.WriteAllTextAsync(Path.Combine(folder, "winner.txt"), result.BestWorkflow.Trainer.ToString(), cancellationToken);
        }
    }
}
