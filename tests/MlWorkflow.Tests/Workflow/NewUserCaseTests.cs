using Microsoft.ML;
using MlWorkflow.Evaluation;
using MlWorkflow.Models;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Workflow;

/// <summary>The cases a new user hit (issue 11): a dropped column, a label that does not fit the task, metrics without a split.</summary>
public sealed class NewUserCaseTests
{
    private TemporaryDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static MlWorkflow.Workflow Mpg(MLContext ml) => MlWorkflow.Workflow.Create(3)
        .Load(ml.Data.LoadFromEnumerable(GeneratedDatasets.MpgLike()))
        .Features(f => f.Drop("cty").OneHot("trans").OneHot("drv"))
        .Label("hwy")
        .Split(0.2)
        .Train(Trainers.Regression.FastTree(trees: 20));

    [Test]
    public async Task A_dropped_column_is_not_an_input_of_the_saved_model()
    {
        var ml = new MLContext(3);
        using var result = await Mpg(ml).RunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.SignatureInputColumns, Is.EquivalentTo(new[] { "displ", "cyl", "trans", "drv" }));
            Assert.That(result.InputSchema.Select(c => c.Name), Is.EquivalentTo(new[] { "displ", "cyl", "trans", "drv" }));
        });

        var folder = Path.Combine(_temp.Path, "mpg-model");
        var written = result.SaveModel(folder);
        Assert.That(written.SignatureInputs, Does.Not.Contain("cty").And.Not.Contain("hwy"));

        var loaded = MlnetModel.Load(folder);
        var cars = new[]
        {
            new GeneratedDatasets.CarInput { displ = 1.8f, cyl = 4, trans = "manual(m5)", drv = "f" },
            new GeneratedDatasets.CarInput { displ = 5.7f, cyl = 8, trans = "auto(l4)", drv = "4" },
        };
        var predicted = loaded.Predict<GeneratedDatasets.CarInput, ScorePrediction>(cars);
        Assert.Multiple(() =>
        {
            Assert.That(loaded.InputSchema.Select(c => c.Name), Is.EquivalentTo(new[] { "displ", "cyl", "trans", "drv" }));
            Assert.That(loaded.RequiredInputColumns, Is.EquivalentTo(new[] { "displ", "cyl", "trans", "drv" }));
            Assert.That(predicted, Has.Count.EqualTo(2));
            Assert.That(predicted[0].Score, Is.GreaterThan(predicted[1].Score), "a small front-wheel car does more miles per gallon than a big 4x4");
        });
    }

    [Test]
    public async Task Predict_errors_name_the_models_inputs_and_outputs()
    {
        var ml = new MLContext(3);
        using var result = await Mpg(ml).RunAsync();
        var folder = Path.Combine(_temp.Path, "mpg-model");
        result.SaveModel(folder);
        var loaded = MlnetModel.Load(folder);

        var missingInput = Assert.Throws<ModelSchemaException>(() => loaded.Predict<TransmissionOnly, ScorePrediction>([new TransmissionOnly { trans = "auto(l4)" }]));
        var missingOutput = Assert.Throws<ModelSchemaException>(() => loaded.Predict<GeneratedDatasets.CarInput, WrongPrediction>([new GeneratedDatasets.CarInput { displ = 2, cyl = 4, trans = "auto(l4)", drv = "f" }]));
        Assert.Multiple(() =>
        {
            Assert.That(missingInput!.MissingColumns, Is.EquivalentTo(new[] { "displ", "cyl", "drv" }));
            Assert.That(missingInput.Message, Does.Contain("'displ'").And.Contain("reads").And.Contain("'Score'"));
            Assert.That(missingOutput!.MissingColumns, Is.EqualTo(new[] { "Prediction" }));
            Assert.That(missingOutput.Message, Does.Contain("Prediction").And.Contain("writes").And.Contain("'Score'"));
            Assert.That(missingOutput.AvailableOutputs, Does.Contain("Score"));
        });
    }

    [Test]
    public async Task A_binary_trainer_on_a_three_class_label_is_refused_before_training()
    {
        var ml = new MLContext(5);
        var observer = new CountingObserver();
        var wine = MlWorkflow.Workflow.Create(5).Load(GeneratedDatasets.WineLike(ml)).Label("target").Split(0.3).Observe(() => observer);

        var error = await Assert.ThrowsAsync<WorkflowValidationException>(() => wine.Train(Trainers.BinaryClassification.FastTree(trees: 10)).RunAsync());
        Assert.Multiple(() =>
        {
            Assert.That((error!.Step, error.Column), Is.EqualTo(("Train", "target")));
            Assert.That(error.Message, Does.Contain("0/1").And.Contain("3 distinct").And.Contain("multiclass trainer"));
            Assert.That(observer.Started, Is.Zero, "nothing is tracked for a misuse");
        });

        using var multiclass = await wine.Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy()).RunAsync();
        Assert.That(multiclass.Metrics.Accuracy, Is.GreaterThan(0.8), "the multiclass trainer it points to learns the three cultivars");
    }

    [Test]
    public async Task A_continuous_label_is_refused_by_classification_trainers()
    {
        var ml = new MLContext(3);
        var mpg = MlWorkflow.Workflow.Create(3)
            .Load(ml.Data.LoadFromEnumerable(GeneratedDatasets.MpgLike()))
            .Features(f => f.OneHot("trans").OneHot("drv"))
            .Label("displ");

        var multiclass = await Assert.ThrowsAsync<WorkflowValidationException>(() => mpg.Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy()).RunAsync());
        var binary = await Assert.ThrowsAsync<WorkflowValidationException>(() => mpg.Train(Trainers.BinaryClassification.FastTree(trees: 5)).RunAsync());
        Assert.Multiple(() =>
        {
            Assert.That(multiclass!.Message, Does.Contain("continuous").And.Contain("regression trainer"));
            Assert.That(binary!.Message, Does.Contain("0/1").And.Contain("regression trainer"));
        });
    }

    [Test]
    public async Task Without_a_split_the_typed_metrics_read_the_training_metrics()
    {
        // A user's NUnit harness: train on everything, assert on the typed metric.
        var ml = new MLContext(3);
        using var regression = await MlWorkflow.Workflow.Create(3)
            .Load(ml.Data.LoadFromEnumerable(GeneratedDatasets.MpgLike()))
            .Features(f => f.Drop("cty").OneHot("trans").OneHot("drv"))
            .Label("hwy")
            .Train(Trainers.Regression.FastTree(trees: 20))
            .RunAsync();
        using var multiclass = await MlWorkflow.Workflow.Create(3)
            .Load(TestDatasets.Iris(ml))
            .Label("Species")
            .Train(Trainers.MulticlassClassification.LbfgsMaximumEntropy())
            .RunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(regression.Metrics.Basis, Is.EqualTo(MetricBasis.Training));
            Assert.That(regression.Metrics.R2, Is.EqualTo(regression.Metrics["training_r2"]).And.GreaterThan(0.8));
            Assert.That(regression.Metrics.Rmse, Is.EqualTo(regression.Metrics["training_rmse"]));
            Assert.That(regression.Metrics.Mse, Is.EqualTo(regression.Metrics["training_mse"]));
            Assert.That(regression.Metrics.Accuracy, Is.Null, "regression has no accuracy");
            Assert.That(multiclass.Metrics.Accuracy, Is.EqualTo(multiclass.Metrics["training_accuracy_micro"]).And.GreaterThan(0.9));
            Assert.That(multiclass.Metrics.AccuracyMacro, Is.EqualTo(multiclass.Metrics["training_accuracy_macro"]));
            Assert.That(multiclass.Metrics.R2, Is.Null, "classification has no R²");
        });
    }

    [Test]
    public async Task Cross_validation_shortcuts_read_the_mean_and_regression_logs_one_loss()
    {
        var ml = new MLContext(3);
        using var result = await MlWorkflow.Workflow.Create(3)
            .Load(ml.Data.LoadFromEnumerable(GeneratedDatasets.MpgLike()))
            .Features(f => f.OneHot("trans").OneHot("drv"))
            .Label("hwy")
            .CrossValidate(3)
            .Train(Trainers.Regression.FastTree(trees: 10))
            .RunAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Metrics.R2, Is.EqualTo(result.Metrics["r2_mean"]));
            Assert.That(result.Metrics.Keys, Has.No.Member("loss_mean").And.Member("mse_mean"), "the squared loss is mse, under one name");
        });
    }

    private sealed class CountingObserver : IWorkflowObserver
    {
        public int Started { get; private set; }

        public Task OnStartingAsync(WorkflowStartingContext context, CancellationToken cancellationToken)
        {
            Started++;
            return Task.CompletedTask;
        }

        public Task<WorkflowResult> OnCompletedAsync(WorkflowResult result, CancellationToken cancellationToken) => Task.FromResult(result);

        public Task OnFailedAsync(Exception error, CancellationToken cancellationToken) => Task.CompletedTask;
    }

#pragma warning disable IDE1006 // the data set's column name
    private sealed class TransmissionOnly
    {
        public string trans { get; set; } = string.Empty;
    }
#pragma warning restore IDE1006

    private sealed class WrongPrediction
    {
        public float Prediction { get; set; }
    }
}
