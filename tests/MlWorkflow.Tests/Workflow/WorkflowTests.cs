using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Autologging;
using MlWorkflow.Tracking;
using MlWorkflow.Data;
using MlWorkflow.Features;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Workflow;

public sealed class WorkflowTests
{
    private sealed class RecordingObserver(bool failOnStart = false) : IWorkflowObserver
    {
        public List<string> Calls { get; } = [];

        public MlflowClient Client { get; } = MlflowClient.Create(Path.Combine(Path.GetTempPath(), "mlw-tests-unused-store"));

        public IReadOnlyDictionary<string, string>? Params { get; private set; }

        public Task OnStartingAsync(WorkflowStartingContext context, CancellationToken cancellationToken)
        {
            Calls.Add("starting");
            Params = context.Params;
            return failOnStart ? throw new InvalidOperationException("tracking store unavailable") : Task.CompletedTask;
        }

        public Task<WorkflowResult> OnCompletedAsync(WorkflowResult result, CancellationToken cancellationToken)
        {
            Calls.Add("completed:" + result.Metrics.Count);
            return Task.FromResult(result.WithTracking(new TrackedRun(Client, "run-1", "runs:/run-1/model")));
        }

        public Task OnFailedAsync(Exception error, CancellationToken cancellationToken)
        {
            Calls.Add("failed:" + error.Message);
            return Task.CompletedTask;
        }
    }

    private static MlWorkflow.Workflow Diamonds(int seed, MLContext ml) => MlWorkflow.Workflow.Create(seed, ml)
        .Load(TestDatasets.DiamondsSample(ml))
        .Features(f => f.Log1p("price", "log_price").OneHot("cut").OneHot("color").OneHotHash("clarity", bits: 4))
        .Label("log_price")
        .Split(0.2)
        .Train(Trainers.Regression.FastForest(trees: 10));

    private sealed class Month
    {
        public string City { get; set; } = string.Empty;

        public int Listings { get; set; }

        public int Sales { get; set; }
    }

    [Test]
    public async Task The_READMEs_log1p_of_an_Int32_count_trains_a_regression_and_a_saved_model_scores()
    {
        // Issue 14: sales stored as Int32 (no missing value left) failed inside ML.NET; it is widened to Double now.
        var random = new Random(4);
        var months = Enumerable.Range(0, 300).Select(i => new Month { City = i % 3 == 0 ? "Austin" : "Waco", Listings = random.Next(10, 1000) }).ToList();
        months.ForEach(m => m.Sales = (m.Listings / 4) + (m.City == "Austin" ? 200 : 0) + random.Next(0, 10));
        var ml = new MLContext(4);
        using var result = await MlWorkflow.Workflow.Create(4, ml)
            .Load(DataSource.FromObjects(months))
            .Features(f => f.Log1p("Sales", "log_sales").OneHot("City").ReplaceMissing("Listings"))
            .Label("log_sales")
            .Split(0.2)
            .Train(Trainers.Regression.FastTree(trees: 20))
            .RunAsync();
        var path = Path.Combine(Path.GetTempPath(), $"mlw-int32-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(result.Model, result.InputSchema, path);
            var loaded = ml.Model.Load(path, out _);
            var scores = loaded.Transform(ml.Data.LoadFromEnumerable(months.Take(5))).GetColumn<float>("Score").ToArray();
            var expected = result.Model.Transform(ml.Data.LoadFromEnumerable(months.Take(5))).GetColumn<float>("Score").ToArray();
            Assert.Multiple(() =>
            {
                Assert.That(result.Metrics.R2, Is.GreaterThan(0.8));
                Assert.That(scores, Is.EqualTo(expected), "the widening is saved with the model");
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task TheSameSeedGivesTheSameMetrics()
    {
        var first = await Diamonds(11, new MLContext(11)).RunAsync();
        var second = await Diamonds(11, new MLContext(11)).RunAsync();
        Assert.That(second.Metrics.ToList(), Is.EqualTo(first.Metrics.ToList()));
        Assert.That(first.Metrics.Rmse, Is.LessThan(0.3), "log-price is well predicted by the size and grades");
    }

    [Test]
    public async Task TheLabelsSourceIsNeitherAFeatureNorASignatureInput()
    {
        var result = await Diamonds(3, new MLContext(3)).RunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.SignatureInputColumns, Does.Not.Contain("price").And.Not.Contain("log_price"));
            Assert.That(result.SignatureInputColumns, Is.SupersetOf(new[] { "carat", "cut", "color", "clarity", "x" }));
            Assert.That(result.Metrics.R2, Is.GreaterThan(0.8));
        });
    }

    [Test]
    public async Task ObserversSeeTheParamsFirstAndTheResultLast()
    {
        var observer = new RecordingObserver();
        var result = await Diamonds(1, new MLContext(1)).Observe(observer).RunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(observer.Calls, Is.EqualTo(new[] { "starting", "completed:" + result.Metrics.Count }));
            Assert.That(result.Tracking!.RunId, Is.EqualTo("run-1"));
            Assert.That(result.Tracking.ModelUri, Is.EqualTo("runs:/run-1/model"));
            Assert.That(observer.Params!["trainer"], Is.EqualTo("FastForest"));
            Assert.That(observer.Params["trees"], Is.EqualTo("10"));
            Assert.That(observer.Params["seed"], Is.EqualTo("1"));
            Assert.That(observer.Params["label"], Is.EqualTo("log_price"));
            Assert.That(observer.Params["split"], Is.EqualTo("train_test"));
            Assert.That(observer.Params["test_fraction"], Is.EqualTo("0.2"));
            Assert.That(observer.Params["feature_step_0"], Is.EqualTo("log1p(price -> log_price)"));
            Assert.That(observer.Params["feature_steps"], Does.Contain("one_hot(cut)").And.Contain("concatenate("));
        });
    }

    [Test]
    public async Task AFailureAfterStartingIsReportedToTheObserver()
    {
        var observer = new RecordingObserver(failOnStart: true);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Diamonds(1, new MLContext(1)).Observe(observer).RunAsync());
        Assert.That(observer.Calls, Is.EqualTo(new[] { "starting", "failed:tracking store unavailable" }));
    }

    [Test]
    public async Task ADataSourceIsLoadedWhenTheWorkflowRuns()
    {
        var ml = new MLContext(2);
        var result = await MlWorkflow.Workflow.Create(2, ml)
            .Load(DataSource.Csv(TestDatasets.PathOf("iris.csv")))
            .Label("Species")
            .CrossValidate(3)
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .RunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.DataSource, Is.Not.Null);
            Assert.That(result.Metrics["accuracy_micro_mean"], Is.GreaterThan(0.8));
            Assert.That(result.Params["cv_folds"], Is.EqualTo("3"));
        });
    }

    [Test]
    public async Task WithoutASplitTheMetricsAreTrainingMetrics()
    {
        var ml = new MLContext(2);
        var result = await MlWorkflow.Workflow.Create(2, ml)
            .Load(TestDatasets.Iris(ml))
            .Label("Species")
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .RunAsync();
        Assert.That(result.Metrics.Keys, Has.Member("training_accuracy_micro").And.No.Member("accuracy_micro"));
    }

    [Test]
    public void EachStepReturnsANewWorkflow()
    {
        var baseline = MlWorkflow.Workflow.Create(1).Label("y");
        var trained = baseline.Train(Trainers.Regression.Sdca());
        Assert.Multiple(() =>
        {
            Assert.That(baseline.Trainer, Is.Null);
            Assert.That(trained.Trainer!.Name, Is.EqualTo("Sdca"));
            Assert.That(trained.LabelColumn, Is.EqualTo("y"));
        });
    }

    private static async Task<WorkflowValidationException> Misuse(MlWorkflow.Workflow workflow) =>
        (await Assert.ThrowsAsync<WorkflowValidationException>(async () => await workflow.RunAsync()))!;

    private static async Task<T> MisuseOf<T>(MlWorkflow.Workflow workflow)
        where T : WorkflowValidationException =>
        (await Assert.ThrowsAsync<T>(async () => await workflow.RunAsync()))!;

    [Test]
    public async Task MisuseFailsBeforeTrainingNamingTheStepAndColumn()
    {
        var ml = new MLContext(1);
        var iris = TestDatasets.Iris(ml);
        var observer = new RecordingObserver();
        var complete = MlWorkflow.Workflow.Create(1, ml).Load(iris).Label("Species").Observe(observer)
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy());

        var noData = await Misuse(MlWorkflow.Workflow.Create().Label("y").Train(Trainers.Regression.Sdca()));
        var noLabel = await Misuse(MlWorkflow.Workflow.Create().Load(iris).Train(Trainers.Regression.Sdca()));
        var noTrainer = await Misuse(MlWorkflow.Workflow.Create().Load(iris).Label("Species"));
        var unknownLabel = await Misuse(complete.Label("species"));
        var textRegression = await Misuse(complete.Train(Trainers.Regression.FastTree()));
        var textBinary = await Misuse(complete.Train(Trainers.BinaryClassification.FastTree()));
        var unknownFeature = await MisuseOf<FeatureValidationException>(complete.Features(f => f.NormalizeMinMax("Petal.Size")));
        var readsLabel = await MisuseOf<FeatureValidationException>(complete.Features(f => f.OneHot("Species", "species_code")));
        var textFeature = await MisuseOf<FeatureValidationException>(complete.Features(f => f.Concatenate("Sepal.Length", "Species")));
        Assert.Multiple(() =>
        {
            Assert.That(noData.Step, Is.EqualTo("Load"));
            Assert.That(noLabel.Step, Is.EqualTo("Label"));
            Assert.That(noTrainer.Step, Is.EqualTo("Train"));
            Assert.That((unknownLabel.Step, unknownLabel.Column), Is.EqualTo(("Label", "species")));
            Assert.That(unknownLabel.Message, Does.Contain("does not exist").And.Contain("Species"));
            Assert.That((textRegression.Step, textRegression.Column), Is.EqualTo(("Train", "Species")));
            Assert.That(textRegression.Message, Does.Contain("numeric label").And.Contain("String"));
            Assert.That(textBinary.Message, Does.Contain("Boolean"));
            Assert.That(unknownFeature.Column, Is.EqualTo("Petal.Size"));
            Assert.That(unknownFeature.Step, Does.Contain("normalize_min_max"));
            Assert.That(readsLabel.Message, Does.Contain("label"));
            Assert.That(textFeature.Column, Is.EqualTo("Species"));
            Assert.That(observer.Calls, Is.Empty, "nothing starts when validation fails");
        });
    }

    [Test]
    public void ValidateChecksASchemaWithoutTraining()
    {
        var ml = new MLContext(1);
        var iris = TestDatasets.Iris(ml);
        var workflow = MlWorkflow.Workflow.Create(1, ml).Label("Species").Train(Trainers.MulticlassClassification.LightGbm());
        Assert.That(() => workflow.Validate(iris.Schema), Throws.Nothing);
        Assert.That(() => workflow.Features(f => f.Drop("Species")).Label("Sepal.Length").Train(Trainers.BinaryClassification.FastTree()).Validate(iris.Schema), Throws.Nothing,
            "a numeric label is taken as 0/1 for binary classification");
    }

    [Test]
    public void SplitAndFoldsAreChecked()
    {
        var workflow = MlWorkflow.Workflow.Create();
        Assert.Multiple(() =>
        {
            Assert.That(() => workflow.Split(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => workflow.Split(1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => workflow.CrossValidate(1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }
}
