using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Evaluation;
using MlWorkflow.Models;
using MlWorkflow.Tests.Workflow;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Models;

/// <summary>Issue 14: new data scored and evaluated with the training schema and the model's classes.</summary>
public sealed class NewDataTests
{
    private TemporaryDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static MlWorkflow.Workflow Penguins(IDataSource train, string label = "species") => MlWorkflow.Workflow.Create(7)
        .Load(train)
        .Features(f => f.Drop("island", "sex", label == "species" ? "year" : "species")
            .ReplaceMissing("bill_length_mm", indicator: false).ReplaceMissing("bill_depth_mm", indicator: false)
            .ReplaceMissing("flipper_length_mm", indicator: false).ReplaceMissing("body_mass_g", indicator: false))
        .Label(label)
        .Train(Trainers.MulticlassClassification.SdcaMaximumEntropy());

    // Penguins measured in 2007 and 2008 (with gaps: the measurements read as Double), and the complete 2009 rows (whole grams and millimetres: Int32).
    private (string Train, string Test) PenguinFiles() => (
        RealCsvSubsets.Write("penguins.csv", _temp.Combine("2007-2008.csv"), r => RealCsvSubsets.Number(r, "year") < 2009),
        RealCsvSubsets.Write("penguins.csv", _temp.Combine("2009.csv"), r => RealCsvSubsets.Number(r, "year") == 2009 && RealCsvSubsets.Complete(r)));

    [Test]
    public async Task A_saved_model_scores_a_file_where_a_column_it_read_as_Double_is_Int32()
    {
        var (train, test) = PenguinFiles();
        using var result = await Penguins(DataSource.Csv(train)).RunAsync();
        result.SaveModel(_temp.Combine("model"));
        var model = MlnetModel.Load(_temp.Combine("model"));
        var ml = new MLContext();
        var newData = await DataSource.Csv(test).LoadAsync(ml);

        var scored = model.Predict(newData);

        var expected = File.ReadLines(test).Skip(1).Select(l => l.Split(',')[0].Trim('"')).ToArray();
        var predicted = scored.GetColumn<string>("PredictedLabel").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(model.InputSchema["body_mass_g"].Type, Is.EqualTo(NumberDataViewType.Double));
            Assert.That(newData.Schema["body_mass_g"].Type, Is.EqualTo(NumberDataViewType.Int32));
            Assert.That(predicted.Zip(expected).Count(p => p.First == p.Second), Is.GreaterThan(expected.Length * 0.9));
        });
    }

    [Test]
    public async Task A_saved_model_refuses_a_column_it_cannot_convert_and_says_what_to_change()
    {
        var (train, _) = PenguinFiles();
        using var result = await Penguins(DataSource.Csv(train)).RunAsync();
        result.SaveModel(_temp.Combine("model"));
        var model = MlnetModel.Load(_temp.Combine("model"));
        var ml = new MLContext();
        var data = await DataSource.Csv(train).LoadAsync(ml);
        var textMass = ml.Transforms.Conversion.ConvertType("body_mass_g", "body_mass_g", DataKind.String).Fit(data).Transform(data);

        var error = Assert.Throws<ColumnTypeMismatchException>(() => model.Predict(textMass));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Column, Is.EqualTo("body_mass_g"));
            Assert.That(error.ExpectedType, Is.EqualTo(NumberDataViewType.Double));
            Assert.That(error.ActualType, Is.EqualTo(TextDataViewType.Instance));
            Assert.That(error.Message, Does.Contain("'body_mass_g' is String here but was Double in the training data").And.Contain("CsvOptions.ColumnTypes"));
        });
    }

    [Test]
    public async Task The_public_evaluator_scores_new_data_with_a_saved_model_as_the_workflow_did()
    {
        var (train, test) = PenguinFiles();
        using var result = await Penguins(DataSource.Csv(train)).TestOn(DataSource.Csv(test)).RunAsync();
        result.SaveModel(_temp.Combine("model"));
        var model = MlnetModel.Load(_temp.Combine("model"));

        var metrics = ModelEvaluator.Evaluate(model, await DataSource.Csv(test).LoadAsync(new MLContext()), "species");

        Assert.Multiple(() =>
        {
            Assert.That(metrics.Keys, Is.EquivalentTo(result.Metrics.Keys));
            foreach (var (name, value) in result.Metrics)
            {
                Assert.That(metrics[name], Is.EqualTo(value).Within(1e-6), name);
            }

            Assert.That(metrics.Accuracy, Is.GreaterThan(0.9));
        });
    }

    [Test]
    public async Task Class_probabilities_are_in_sorted_class_order_and_labelled()
    {
        // The file lists Adelie, then Gentoo, then Chinstrap: the classes are sorted, as scikit-learn's classes_.
        var ml = new MLContext(7);
        using var result = await Penguins(DataSource.Csv(TestDatasets.PathOf("penguins.csv"))).Split(0.3, stratify: true).RunAsync();
        result.SaveModel(_temp.Combine("model"));
        var saved = MlnetModel.Load(_temp.Combine("model"));

        var mapping = result.LabelMapping!;
        var predictions = result.TestPredictions!;
        var scores = predictions.GetColumn<float[]>("Score").ToArray();
        var predicted = predictions.GetColumn<string>("PredictedLabel").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(mapping.Classes, Is.EqualTo(new object[] { "Adelie", "Chinstrap", "Gentoo" }));
            Assert.That(mapping.ValueType, Is.EqualTo(TextDataViewType.Instance));
            Assert.That(saved.LabelMapping!.Classes, Is.EqualTo(mapping.Classes), "the saved model knows its classes");
            for (var row = 0; row < scores.Length; row++)
            {
                Assert.That(mapping.ClassNames[Array.IndexOf(scores[row], scores[row].Max())], Is.EqualTo(predicted[row]), $"row {row}");
                Assert.That(scores[row].Sum(), Is.EqualTo(1).Within(1e-4), "probabilities");
            }

            Assert.That(result.Metrics.Keys, Does.Contain(MetricNames.PerClass(MetricNames.Precision, "Chinstrap")));
        });
    }

    [Test]
    public async Task A_numeric_class_label_keeps_its_values_and_sorted_order()
    {
        using var result = await Penguins(DataSource.Csv(TestDatasets.PathOf("penguins.csv")), label: "year").Split(0.3).RunAsync();
        var mapping = result.LabelMapping!;
        var scores = result.TestPredictions!.GetColumn<float[]>("Score").ToArray();
        var predicted = result.TestPredictions!.GetColumn<int>("PredictedLabel").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(mapping.Classes, Is.EqualTo(new object[] { 2007, 2008, 2009 }));
            Assert.That(mapping.ClassNames, Is.EqualTo(new[] { "2007", "2008", "2009" }));
            for (var row = 0; row < scores.Length; row++)
            {
                Assert.That(mapping.Classes[Array.IndexOf(scores[row], scores[row].Max())], Is.EqualTo(predicted[row]), $"row {row}");
            }
        });
    }

    [Test]
    public async Task Regression_and_binary_models_have_no_label_mapping()
    {
        var ml = new MLContext(1);
        using var binary = await MlWorkflow.Workflow.Create(1, ml).Load(TestDatasets.BreastCancer(ml)).Label("target")
            .Train(Trainers.BinaryClassification.FastTree(trees: 10)).RunAsync();
        Assert.That(binary.LabelMapping, Is.Null);
    }

    [Test]
    public async Task The_public_evaluator_maps_a_binary_0_1_label_of_new_data()
    {
        var ml = new MLContext(4);
        var source = DataSource.Csv(TestDatasets.PathOf("breast_cancer.csv"));
        using var result = await MlWorkflow.Workflow.Create(4, ml).Load(source).Label("target").TestOn(source)
            .Train(Trainers.BinaryClassification.LbfgsLogisticRegression()).RunAsync();
        var data = await source.LoadAsync(new MLContext());
        var metrics = ModelEvaluator.Evaluate(result.MLContext, result.Model, result.InputSchema, data, "target", LearningTask.BinaryClassification);
        Assert.Multiple(() =>
        {
            Assert.That(data.Schema["target"].Type, Is.EqualTo(NumberDataViewType.Int32));
            Assert.That(metrics.Auc, Is.EqualTo(result.Metrics.Auc).Within(1e-9));
            Assert.That(metrics.LogLoss, Is.EqualTo(result.Metrics.LogLoss).Within(1e-9));
        });
    }
}
