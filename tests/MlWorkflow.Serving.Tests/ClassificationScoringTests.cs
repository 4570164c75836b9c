using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Models;

namespace MlWorkflow.Serving.Tests;

/// <summary>What a binary and a multiclass mlnet model answer: labels, and probabilities on request (issue 13 point 1).</summary>
public sealed class ClassificationScoringTests
{
    private const string Loans = """{"dataframe_split": {"columns": ["income", "debt"], "data": [[110, 5], [25, 45]]}""";
    private const string Flowers = """{"dataframe_records": [{"petal_length": 1.8, "petal_width": 0.3}, {"petal_length": 7.2, "petal_width": 2.1}]""";

    [Test]
    public async Task A_binary_classifier_answers_labels_and_on_request_the_positive_probability()
    {
        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = ServedModels.BinaryRunUri, TrackingUri = ServedModels.StorePath, Port = 0 });
        using var http = new HttpClient { BaseAddress = server.Uri };

        var labels = await Http.PredictionsAsync(http, Loans + "}");
        var detailed = await Http.PredictionsAsync(http, Loans + """, "params": {"probabilities": true}}""");

        Assert.Multiple(() =>
        {
            Assert.That(labels.EnumerateArray().Select(l => l.GetBoolean()), Is.EqualTo(new[] { true, false }));
            Assert.That(detailed.EnumerateArray().Select(r => r.GetProperty("label").GetBoolean()), Is.EqualTo(new[] { true, false }));
            Assert.That(detailed[0].GetProperty("probability").GetDouble(), Is.GreaterThan(0.5).And.LessThanOrEqualTo(1));
            Assert.That(detailed[1].GetProperty("probability").GetDouble(), Is.LessThan(0.5).And.GreaterThanOrEqualTo(0));
        });
    }

    [Test]
    public async Task An_ensemble_answers_as_a_single_binary_classifier_with_the_probabilities_it_gives_in_process()
    {
        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = ServedModels.BinaryEnsembleRunUri, TrackingUri = ServedModels.StorePath, Port = 0 });
        using var http = new HttpClient { BaseAddress = server.Uri };
        var model = await ServedModels.Client.LoadMlnetModelAsync(ServedModels.BinaryEnsembleRunUri);
        var rows = model.MLContext.Data.LoadFromEnumerable(new[] { new GeneratedData.Loan { income = 110, debt = 5 }, new GeneratedData.Loan { income = 25, debt = 45 } });
        var expected = model.Predict(rows).GetColumn<float>("Probability").ToArray();

        var detailed = await Http.PredictionsAsync(http, Loans + """, "params": {"probabilities": true}}""");

        Assert.Multiple(() =>
        {
            Assert.That(detailed.EnumerateArray().Select(r => r.GetProperty("label").GetBoolean()), Is.EqualTo(new[] { true, false }));
            Assert.That(detailed.EnumerateArray().Select(r => r.GetProperty("probability").GetDouble()), Is.EqualTo(expected.Select(p => (double)p)).Within(1e-6));
        });
    }

    [Test]
    public async Task A_multiclass_classifier_answers_class_names_and_on_request_every_class_probability()
    {
        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = ServedModels.MulticlassRunUri, TrackingUri = ServedModels.StorePath, Port = 0 });
        using var http = new HttpClient { BaseAddress = server.Uri };

        var labels = await Http.PredictionsAsync(http, Flowers + "}");
        var detailed = await Http.PredictionsAsync(http, Flowers + """, "params": {"probabilities": true}}""");

        var first = detailed[0].GetProperty("probabilities");
        Assert.Multiple(() =>
        {
            Assert.That(labels.EnumerateArray().Select(l => l.GetString()), Is.EqualTo(new[] { "setosa", "virginica" }));
            Assert.That(detailed.EnumerateArray().Select(r => r.GetProperty("label").GetString()), Is.EqualTo(new[] { "setosa", "virginica" }));
            Assert.That(first.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "setosa", "versicolor", "virginica" }));
            Assert.That(first.EnumerateObject().Sum(p => p.Value.GetDouble()), Is.EqualTo(1).Within(1e-4));
            Assert.That(first.GetProperty("setosa").GetDouble(), Is.GreaterThan(first.GetProperty("virginica").GetDouble()));
        });
    }

    [Test]
    public async Task A_probabilities_parameter_that_is_not_a_boolean_is_refused()
    {
        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = ServedModels.MulticlassRunUri, TrackingUri = ServedModels.StorePath, Port = 0 });
        using var http = new HttpClient { BaseAddress = server.Uri };
        var (code, message) = await Http.ErrorAsync(http, Flowers + """, "params": {"probabilities": "yes"}}""", System.Net.HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("INVALID_PARAMETER_VALUE"));
            Assert.That(message, Does.Contain("'probabilities' must be true or false"));
        });
    }
}
