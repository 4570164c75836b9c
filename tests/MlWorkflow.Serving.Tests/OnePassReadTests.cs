using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Data;
using MlWorkflow.Models;
using MlWorkflow.Serving.Hosting;
using MlWorkflow.Serving.Protocol;
using MlWorkflow.Serving.Scoring;
using MlWorkflow.Training;

namespace MlWorkflow.Serving.Tests;

/// <summary>
/// A plain <c>dataframe_split</c> body is read in one pass straight into the model's typed columns (issue 13, serving
/// speed); every other body takes the general reader. The two must give the same values, the same answers and, for tree
/// models, ML.NET's own predictions on real rows.
/// </summary>
public sealed class OnePassReadTests
{
    private static string DataFile(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", name);

    [Test]
    public void Numbers_read_in_one_pass_are_the_doubles_and_floats_the_general_reader_gives()
    {
        var random = new Random(5);
        var texts = new List<string> { "0", "-0", "1", "-1", "0.1", "0.2", "0.30000000000000004", "123456789012345", "1234567890123456", "12345678901234567890", "0.000000000000001", "9007199254740993", "1e5", "1E-7", "-2.5e+3", "4.35", "61.5", "3.95", "0.23", "18823", "1.7976931348623157e308", "5e-324", "100.000000000000000000001" };
        for (var i = 0; i < 20_000; i++)
        {
            // Decimals of 1 to 18 digits with the point anywhere, as clients write them.
            var digits = random.Next(1, 19);
            var number = new StringBuilder(random.Next(4) == 0 ? "-" : "");
            var point = random.Next(0, digits);
            for (var d = 0; d < digits; d++)
            {
                // No leading zero (not JSON) but before the point: 0.25.
                number.Append(d > 0 || (point == 1 && random.Next(2) == 0) ? (char)('0' + random.Next(10)) : (char)('1' + random.Next(9)));
                if (d + 1 == point)
                {
                    number.Append('.');
                }
            }

            texts.Add(number.ToString());
        }

        var body = "{\"dataframe_split\": {\"columns\": [\"d\", \"f\"], \"data\": [" + string.Join(", ", texts.Select(t => $"[{t}, {t}]")) + "]}}";
        var inputs = new[] { new InputColumn("d", NumberDataViewType.Double), new InputColumn("f", NumberDataViewType.Single) };
        var columns = DataframeSplitReader.TryRead(Encoding.UTF8.GetBytes(body), inputs, out var rows);

        Assert.That(columns, Is.Not.Null);
        Assert.That(rows, Is.EqualTo(texts.Count));
        var doubles = (double[])columns![0];
        var floats = (float[])columns[1];
        var wrong = texts.Select((t, i) => (Text: t, Read: doubles[i], Float: floats[i], Parsed: double.Parse(t, CultureInfo.InvariantCulture)))
            .Where(x => BitConverter.DoubleToInt64Bits(x.Read) != BitConverter.DoubleToInt64Bits(x.Parsed) || BitConverter.SingleToInt32Bits(x.Float) != BitConverter.SingleToInt32Bits((float)x.Parsed))
            .Take(5).ToList();
        Assert.That(wrong, Is.Empty);
    }

    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[1, \"a\"], [null, \"b\"]]}}", TestName = "a null")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[\"1\", \"a\"]]}}", TestName = "a number as a string")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[1, 2]]}}", TestName = "a number for a string column")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\"], \"data\": [[1]]}}", TestName = "a missing column")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\", \"d\"], \"data\": [[1, \"a\", 2]]}}", TestName = "a repeated column")]
    [TestCase("{\"dataframe_split\": {\"data\": [[1, \"a\"]], \"columns\": [\"d\", \"s\"]}}", TestName = "data before columns")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[1, \"a\", 3]]}}", TestName = "a row longer than the columns")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[1]]}}", TestName = "a row shorter than the columns")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": []}}", TestName = "no rows")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[1, \"a\"]]}, \"params\": {}}", TestName = "params")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[1, \"a\"]]}} x", TestName = "content after the body")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[1, \"a\"]]", TestName = "a truncated body")]
    [TestCase("{\"dataframe_records\": [{\"d\": 1, \"s\": \"a\"}]}", TestName = "another form")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[1e400, \"a\"]]}}", TestName = "a number beyond double")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[01, \"a\"]]}}", TestName = "a number JSON does not allow")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[1, \"a\\u0062\"]]}}", TestName = "an escaped string")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\", \"x\"], \"data\": [[1, \"a\", [2]]]}}", TestName = "a nested value in an extra column")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[1, \"a\"]], \"index\": [0]}}", TestName = "an index after the data")]
    [TestCase("{\"dataframe_split\": {\"columns\": [\"d\", \"s\"], \"data\": [[1, \"a\"],]}}", TestName = "a trailing comma")]
    public void Anything_but_the_plain_case_is_left_to_the_general_reader(string body)
    {
        var inputs = new[] { new InputColumn("d", NumberDataViewType.Double), new InputColumn("s", TextDataViewType.Instance) };
        Assert.That(DataframeSplitReader.TryRead(Encoding.UTF8.GetBytes(body), inputs, out _), Is.Null);
    }

    [Test]
    public void Strings_extra_columns_and_an_index_are_read_as_the_general_reader_reads_them()
    {
        const string Body = """{"dataframe_split": {"index": [7, 8], "columns": ["extra", "s", "i", "d"], "data": [[ "x" , "mänual", 3, 2.5], [null, "", -4, 1e2]]}}""";
        var inputs = new[] { new InputColumn("d", NumberDataViewType.Double), new InputColumn("s", TextDataViewType.Instance), new InputColumn("i", NumberDataViewType.Int32) };
        var columns = DataframeSplitReader.TryRead(Encoding.UTF8.GetBytes(Body), inputs, out var rows);
        using var general = JsonRequestParser.Parse(Encoding.UTF8.GetBytes(Body), inputs.Select(c => c.Name).ToList(), "");
        var expected = inputs.Select(c => c.Convert(general.Table.Column(c.Name)!)).ToArray();

        Assert.That(columns, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(2));
            Assert.That((double[])columns![0], Is.EqualTo((double[])expected[0]));
            Assert.That(((ReadOnlyMemory<char>[])columns[1]).Select(m => m.ToString()), Is.EqualTo(((ReadOnlyMemory<char>[])expected[1]).Select(m => m.ToString())).And.Contains("mänual"));
            Assert.That((int[])columns[2], Is.EqualTo((int[])expected[2]));
        });
    }

    [Test]
    public void A_string_of_invalid_UTF8_is_left_to_the_general_reader()
    {
        var inputs = new[] { new InputColumn("s", TextDataViewType.Instance) };
        byte[] body = [.. "{\"dataframe_split\": {\"columns\": [\"s\"], \"data\": [[\""u8, 0xC3, 0x28, .. "\"]]}}"u8];
        Assert.That(DataframeSplitReader.TryRead(body, inputs, out _), Is.Null);
    }

    [TestCase("regression")]
    [TestCase("binary")]
    [TestCase("multiclass")]
    public async Task A_plain_body_and_the_same_rows_through_the_general_reader_get_the_same_answer(string model)
    {
        var (uri, body) = model switch
        {
            "regression" => (ServedModels.RegressionRunUri, """{"dataframe_split": {"columns": ["displ", "cyl", "trans", "drv"], "data": [[1.8, 4, "manual", "f"], [5.7, 8, "auto", "4"], [3.1, 6.0, "manual", "r"], [2.45e0, 4, "auto", "f"]]}"""),
            "binary" => (ServedModels.BinaryRunUri, """{"dataframe_split": {"columns": ["income", "debt"], "data": [[85000, 2000.5], [21000, 19000], [50000.25, 7500]]}"""),
            _ => (ServedModels.MulticlassRunUri, """{"dataframe_split": {"columns": ["petal_length", "petal_width"], "data": [[1.4, 0.2], [5.9, 2.1], [4.2, 1.3]]}"""),
        };
        // The plain body really is the one-pass case for this model (an escaped string or a column it lacks would not be).
        var loaded = await ModelLoader.LoadAsync(ServedModels.Client, uri, useTreeEvaluator: true, CancellationToken.None);
        Assert.That(DataframeSplitReader.TryRead(Encoding.UTF8.GetBytes(body + "}"), loaded.Scoring.Inputs, out _), Is.Not.Null);

        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = uri, Client = ServedModels.Client, Port = 0 });
        using var http = new HttpClient { BaseAddress = server.Uri };

        var plain = await Http.JsonAsync(http, body + "}");
        var general = await Http.JsonAsync(http, body + ", \"params\": {}}");

        Assert.That(plain.Status, Is.EqualTo(HttpStatusCode.OK), plain.Body);
        Assert.That(plain.Body, Is.EqualTo(general.Body));
    }

    [TestCase("binary")]
    [TestCase("multiclass")]
    public async Task Tree_classifiers_served_from_plain_bodies_predict_as_MLNET_does_on_real_rows(string task)
    {
        using var temp = new TemporaryDirectory();
        var folder = temp.Combine("model");
        var file = DataFile(task == "binary" ? "breast_cancer.csv" : "iris.csv");
        var label = task == "binary" ? "target" : "Species";
        using (var trained = await Workflow.Create(42)
            .Load(DataSource.Csv(file))
            .Label(label)
            .Train(task == "binary" ? Trainers.BinaryClassification.FastTree(trees: 20) : Trainers.MulticlassClassification.OneVersusAll(Trainers.BinaryClassification.FastTree(trees: 10)))
            .RunAsync())
        {
            trained.SaveModel(folder);
        }

        var model = MlnetModel.Load(folder);
        var view = await DataSource.Csv(file).LoadAsync(model.MLContext);
        var scored = model.Predict(view);
        var expected = task == "binary"
            ? scored.GetColumn<bool>("PredictedLabel").Select(b => b ? "true" : "false").ToArray()
            : scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToArray();

        await using var server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = folder, Port = 0 });
        using var http = new HttpClient { BaseAddress = server.Uri };
        var body = DataframeSplitBodies.Of(view, label);
        var predictions = await Http.PredictionsAsync(http, body);
        var actual = predictions.EnumerateArray().Select(p => p.ValueKind == System.Text.Json.JsonValueKind.String ? p.GetString()! : p.GetRawText()).ToArray();

        Assert.That(actual, Has.Length.EqualTo(task == "binary" ? 569 : 150));
        Assert.That(actual, Is.EqualTo(expected));
    }
}
