using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Data;
using MlWorkflow.Features;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Workflow;

/// <summary>Issue 14: what a search needs to control a run — caching before many-pass trainers, seeds, threads, a time limit, imputation without indicators.</summary>
public sealed class TrainingControlTests
{
    private static MlWorkflow.Workflow BreastCancer(MLContext ml, IDataView data, TrainerSpec trainer) =>
        MlWorkflow.Workflow.Create(8, ml).Load(data).Label("target").Split(0.2).Train(trainer);

    [Test]
    public async Task Sdca_on_the_csv_source_gives_the_metrics_of_a_cached_copy()
    {
        // SDCA shuffles the rows each pass when it can: from the CSV source it could not, from a cached copy it could. Its own
        // seed keeps its draws apart from what else the contexts were used for (the cached copy was made in one of them).
        var sdca = Trainers.BinaryClassification.SdcaLogisticRegression().WithSeed(3);
        var path = TestDatasets.PathOf("breast_cancer.csv");
        var ml = new MLContext(8);
        using var fromCsv = await MlWorkflow.Workflow.Create(8, ml).Load(DataSource.Csv(path)).Label("target").Split(0.2)
            .Train(sdca).RunAsync();
        var cachedMl = new MLContext(8);
        var cached = cachedMl.Data.Cache(await DataSource.Csv(path).LoadAsync(cachedMl));
        using var fromCache = await BreastCancer(cachedMl, cached, sdca).RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(Trainers.BinaryClassification.SdcaLogisticRegression().Descriptor.NeedsCache, Is.True);
            Assert.That(Trainers.BinaryClassification.FastTree().Descriptor.NeedsCache, Is.False);
            Assert.That(fromCsv.Metrics.ToList(), Is.EqualTo(fromCache.Metrics.ToList()));
        });
    }

    [Test]
    public async Task A_many_pass_trainer_reads_the_source_as_often_whatever_its_iterations()
    {
        // Without a cache each SDCA pass re-reads the source and recomputes the feature steps.
        static async Task<int> Passes(int iterations)
        {
            var ml = new MLContext(8);
            var source = new PassCountingDataView(await DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv")).LoadAsync(ml));
            var sdca = Trainers.BinaryClassification.SdcaLogisticRegression(maxIterations: iterations).WithSeed(1);
            using var result = await MlWorkflow.Workflow.Create(8, ml).Load(source).Label("target").Train(sdca).RunAsync();
            return source.Passes;
        }

        var few = await Passes(2);
        var many = await Passes(40);
        Assert.That(many, Is.EqualTo(few));
    }

    [Test]
    public async Task A_trainer_seed_repeats_a_fit_and_another_seed_changes_it()
    {
        static async Task<MetricSet> Run(TrainerSpec trainer)
        {
            var ml = new MLContext(8);
            using var result = await BreastCancer(ml, TestDatasets.BreastCancer(ml), trainer).RunAsync();
            Assert.That(result.Params["trainer_seed"], Is.EqualTo(trainer.Seed!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return result.Metrics;
        }

        var forest = Trainers.BinaryClassification.FastForest(trees: 20).WithThreads(1);
        var first = await Run(forest.WithSeed(1));
        var again = await Run(forest.WithSeed(1));
        var other = await Run(forest.WithSeed(2));
        Assert.Multiple(() =>
        {
            Assert.That(again.ToList(), Is.EqualTo(first.ToList()));
            Assert.That(other.ToList(), Is.Not.EqualTo(first.ToList()), "the seed reaches the forest's bagging");
        });
    }

    [Test]
    public void Seeds_and_threads_are_part_of_the_spec()
    {
        var sdca = Trainers.Regression.Sdca().WithSeed(5).WithThreads(2);
        var changed = sdca.With(new Dictionary<string, object?> { ["max_iterations"] = 10 });
        Assert.Multiple(() =>
        {
            Assert.That(sdca.Hyperparameters["threads"], Is.EqualTo(2));
            Assert.That(sdca.ToParams()["trainer_seed"], Is.EqualTo("5"));
            Assert.That(changed.Seed, Is.EqualTo(5), "a tuner's change keeps the seed");
            Assert.That(Trainers.Regression.Sdca().Seed, Is.Null);
            Assert.That(Trainers.Regression.Sdca().ToParams().ContainsKey("trainer_seed"), Is.False);
            Assert.That(Trainers.Regression.OnlineGradientDescent().WithThreads(1).Name, Is.EqualTo("OnlineGradientDescent"));
            Assert.That(() => Trainers.Regression.OnlineGradientDescent().WithThreads(2), Throws.ArgumentException.With.Message.Contains("one thread"));
            Assert.That(() => Trainers.Regression.FastTree().WithThreads(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public async Task A_time_limit_stops_a_long_fit_with_a_timeout_error()
    {
        var ml = new MLContext(8);

        // 200,000 boosted trees would train for many minutes: the run ends only if the limit reaches ML.NET's Fit.
        var run = BreastCancer(ml, TestDatasets.BreastCancer(ml), Trainers.BinaryClassification.FastTree(trees: 200_000))
            .TimeLimit(TimeSpan.FromSeconds(2))
            .RunAsync();

        // A hang guard, not a speed figure.
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.That(finished, Is.SameAs(run), "the run ended after the time limit");
        var error = await Assert.ThrowsAsync<WorkflowTimeoutException>(async () => await run);
        Assert.Multiple(() =>
        {
            Assert.That(error!.TimeLimit, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(error.Stage, Is.EqualTo(WorkflowDiagnostics.FitActivity));
            Assert.That(error.Message, Does.Contain("time limit of 2 s").And.Contain("during 'workflow.fit'"));
        });
    }

    [Test]
    public void A_time_limit_is_logged_and_must_be_positive()
    {
        var workflow = MlWorkflow.Workflow.Create().TimeLimit(TimeSpan.FromSeconds(90));
        Assert.Multiple(() =>
        {
            Assert.That(workflow.GetParams()["time_limit_s"], Is.EqualTo("90"));
            Assert.That(() => workflow.TimeLimit(TimeSpan.Zero), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public async Task ReplaceMissing_without_an_indicator_fills_in_place_and_adds_no_column()
    {
        var ml = new MLContext(6);
        var penguins = await DataSource.Csv(TestDatasets.PathOf("penguins.csv")).LoadAsync(ml);
        using var result = await MlWorkflow.Workflow.Create(6, ml).Load(penguins)
            .Features(f => f.Drop("island", "sex").ReplaceMissing("body_mass_g", MissingValueReplacement.Median, indicator: false)
                .ReplaceMissing("bill_length_mm", indicator: false).ReplaceMissing("bill_depth_mm", indicator: false)
                .ReplaceMissing("flipper_length_mm"))
            .Label("species").Train(Trainers.MulticlassClassification.SdcaMaximumEntropy()).RunAsync();

        var scored = result.Model.Transform(penguins);
        var masses = penguins.GetColumn<double>("body_mass_g").Where(m => !double.IsNaN(m)).Order().ToArray();
        var median = (masses[(masses.Length - 1) / 2] + masses[masses.Length / 2]) / 2;
        Assert.Multiple(() =>
        {
            Assert.That(scored.Schema.GetColumnOrNull("body_mass_g_missing"), Is.Null);
            Assert.That(scored.Schema.GetColumnOrNull("flipper_length_mm_missing"), Is.Not.Null, "the default still adds the indicator");
            Assert.That(scored.GetColumn<float>("body_mass_g").ToArray(), Has.None.NaN);
            Assert.That(scored.GetColumn<float>("body_mass_g").ElementAt(3), Is.EqualTo((float)median), "the fourth penguin has no mass: the median");
            Assert.That(((VectorDataViewType)scored.Schema["Features"].Type).Size, Is.EqualTo(6), "4 measurements, year and one indicator");
        });
    }
}
