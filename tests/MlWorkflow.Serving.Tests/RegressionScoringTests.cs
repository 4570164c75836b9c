using System.Net;
using System.Text.Json;
using MlWorkflow.Models;

namespace MlWorkflow.Serving.Tests;

/// <summary>The scoring protocol of MLflow 2.x on a regression model served from <c>models:/Cars/Production</c> (issue 13 points 1 and 3).</summary>
public sealed class RegressionScoringTests
{
    private const string Split = """{"dataframe_split": {"columns": ["displ", "cyl", "trans", "drv"], "data": [[1.8, 4, "manual", "f"], [5.7, 8, "auto", "4"]]}}""";
    private ModelServer _server = null!;
    private HttpClient _http = null!;
    private double[] _expected = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ModelServer.StartAsync(new ModelServerOptions { ModelUri = "models:/Cars/Production", TrackingUri = ServedModels.StorePath, Port = 0 });
        _http = new HttpClient { BaseAddress = _server.Uri };
        _expected = ServedModels.Regression.Predict<GeneratedData.CarInput, GeneratedData.ScorePrediction>(
        [
            new GeneratedData.CarInput { displ = 1.8f, cyl = 4, trans = "manual", drv = "f" },
            new GeneratedData.CarInput { displ = 5.7f, cyl = 8, trans = "auto", drv = "4" },
        ]).Select(p => (double)p.Score).ToArray();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task Ping_and_health_answer_a_newline_as_MLflow_does()
    {
        foreach (var path in new[] { "ping", "health" })
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Multiple(async () =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("\n"));
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            });
        }
    }

    [Test]
    public async Task Version_says_which_registered_version_answers()
    {
        using var json = JsonDocument.Parse(await _http.GetStringAsync(new Uri("version", UriKind.Relative)));
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("model_uri").GetString(), Is.EqualTo("models:/Cars/Production"));
            Assert.That(json.RootElement.GetProperty("registered_model_name").GetString(), Is.EqualTo("Cars"));
            Assert.That(json.RootElement.GetProperty("model_version").GetString(), Is.EqualTo("1"));
            Assert.That(json.RootElement.GetProperty("run_id").GetString(), Has.Length.EqualTo(32));
            Assert.That(_server.ModelVersion, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_regression_answers_one_score_per_row_as_the_model_predicts()
    {
        var predictions = await Http.PredictionsAsync(_http, Split);
        Assert.Multiple(() =>
        {
            Assert.That(predictions.ValueKind, Is.EqualTo(JsonValueKind.Array));
            Assert.That(Http.Numbers(predictions), Is.EqualTo(_expected).Within(1e-5));
            Assert.That(_expected[0], Is.GreaterThan(_expected[1]), "a small front-wheel car does more miles per gallon than a big 4x4");
        });
    }

    [TestCase("""{"dataframe_split": {"columns": ["displ", "cyl", "trans", "drv"], "data": [[1.8, 4, "manual", "f"], [5.7, 8, "auto", "4"]], "index": [10, 11]}}""", TestName = "dataframe_split with an index")]
    [TestCase("""{"dataframe_split": {"columns": ["drv", "zz", "trans", "cyl", "displ"], "data": [["f", 1, "manual", 4, 1.8], ["4", 2, "auto", 8, 5.7]]}}""", TestName = "dataframe_split with reordered and extra columns")]
    [TestCase("""{"dataframe_records": [{"displ": 1.8, "cyl": 4, "trans": "manual", "drv": "f"}, {"displ": 5.7, "cyl": 8, "trans": "auto", "drv": "4", "extra": "x"}]}""", TestName = "dataframe_records")]
    [TestCase("""{"instances": [{"displ": 1.8, "cyl": 4, "trans": "manual", "drv": "f"}, {"displ": 5.7, "cyl": 8, "trans": "auto", "drv": "4"}]}""", TestName = "instances as records")]
    [TestCase("""{"inputs": {"displ": [1.8, 5.7], "cyl": [4, 8], "trans": ["manual", "auto"], "drv": ["f", "4"]}}""", TestName = "inputs as columns")]
    [TestCase("""{"inputs": [{"displ": 1.8, "cyl": 4, "trans": "manual", "drv": "f"}, {"displ": 5.7, "cyl": 8, "trans": "auto", "drv": "4"}]}""", TestName = "inputs as records")]
    [TestCase("""{"dataframe_split": {"columns": ["displ", "cyl", "trans", "drv"], "data": [["1.8", "4", "manual", "f"], ["5.7", "8.0", "auto", "4"]]}, "params": {"unknown": 1}, "other_key": true}""", TestName = "numeric strings, unknown params and extra top-level keys")]
    public async Task Every_JSON_input_form_gives_the_same_predictions(string body)
    {
        var predictions = await Http.PredictionsAsync(_http, body);
        Assert.That(Http.Numbers(predictions), Is.EqualTo(_expected).Within(1e-5));
    }

    [Test]
    public async Task Concurrent_requests_of_different_rows_each_get_their_own_rows_predictions()
    {
        // The scorer reuses row mappers across requests: one request must never read another's rows.
        var cars = GeneratedData.Cars(rows: 48, seed: 21);
        var expected = ServedModels.Regression.Predict<GeneratedData.CarInput, GeneratedData.ScorePrediction>(
            cars.Select(c => new GeneratedData.CarInput { displ = c.displ, cyl = c.cyl, trans = c.trans, drv = c.drv })).Select(p => (double)p.Score).ToArray();
        var answers = await Task.WhenAll(Enumerable.Range(0, 96).Select(i => Task.Run(async () =>
        {
            var rows = cars.Skip(i % 48).Take(1 + (i % 3)).ToArray();
            var data = string.Join(", ", rows.Select(c => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{c.displ}, {c.cyl}, \"{c.trans}\", \"{c.drv}\"]")));
            var predictions = await Http.PredictionsAsync(_http, $$$"""{"dataframe_split": {"columns": ["displ", "cyl", "trans", "drv"], "data": [{{{data}}}]}}""");
            return (First: i % 48, Numbers: Http.Numbers(predictions));
        })));
        Assert.Multiple(() =>
        {
            foreach (var (first, numbers) in answers)
            {
                Assert.That(numbers, Is.EqualTo(expected.Skip(first).Take(numbers.Length).ToArray()).Within(1e-5));
                Assert.That(numbers, Is.Not.Empty);
            }
        });
    }

    [Test]
    public async Task CSV_gives_the_same_predictions()
    {
        var predictions = await Http.PredictionsAsync(_http, "displ,cyl,trans,drv\r\n1.8,4,\"manual\",f\r\n5.7,8,auto,4\r\n", "text/csv; charset=utf-8");
        Assert.That(Http.Numbers(predictions), Is.EqualTo(_expected).Within(1e-5));
    }

    [TestCase("text/csv", "displ,cyl,trans,drv\n1.8,4,manual,f\n5.7,8,auto,4\n")]
    [TestCase("application/json", Split)]
    public async Task A_byte_order_mark_before_the_body_is_skipped(string contentType, string body)
    {
        using var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(body)]);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await _http.PostAsync(new Uri("invocations", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var json = JsonDocument.Parse(text);
        Assert.That(Http.Numbers(json.RootElement.GetProperty("predictions")), Is.EqualTo(_expected).Within(1e-5));
    }

    [Test]
    public async Task Integers_for_a_float_column_are_widened()
    {
        var ints = await Http.PredictionsAsync(_http, """{"dataframe_records": [{"displ": 2, "cyl": 4, "trans": "auto", "drv": "f"}]}""");
        var floats = await Http.PredictionsAsync(_http, """{"dataframe_records": [{"displ": 2.0, "cyl": 4.0, "trans": "auto", "drv": "f"}]}""");
        Assert.That(Http.Numbers(ints), Is.EqualTo(Http.Numbers(floats)));
    }

    [Test]
    public async Task No_rows_answer_no_predictions()
    {
        var predictions = await Http.PredictionsAsync(_http, """{"dataframe_split": {"columns": ["displ", "cyl", "trans", "drv"], "data": []}}""");
        Assert.That(predictions.GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task A_missing_column_is_a_400_naming_it()
    {
        var (code, message) = await Http.ErrorAsync(_http, """{"dataframe_split": {"columns": ["displ", "cyl", "trans", "y"], "data": [[1.8, 4, "manual", "f"]]}}""", HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("INVALID_PARAMETER_VALUE"));
            Assert.That(message, Does.Contain("Model is missing inputs ['drv']. Note that there were extra inputs: ['y']"));
        });
    }

    [Test]
    public async Task Error_bodies_keep_quotes_as_MLflow_writes_them()
    {
        var (_, text, _) = await Http.JsonAsync(_http, """{"dataframe_split": {"columns": ["displ"], "data": [[1.8]]}}""");
        Assert.That(text, Does.Contain("Model is missing inputs ['cyl', 'trans', 'drv']"));
    }

    [Test]
    public async Task A_missing_CSV_column_is_a_400_naming_it()
    {
        var (code, message) = await Http.ErrorAsync(_http, "displ,cyl,trans\n1.8,4,manual\n", HttpStatusCode.BadRequest, "text/csv");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("INVALID_PARAMETER_VALUE"));
            Assert.That(message, Does.Contain("Model is missing inputs ['drv']"));
        });
    }

    [TestCase("""{"dataframe_records": [{"displ": "abc", "cyl": 4, "trans": "auto", "drv": "f"}]}""", "application/json", TestName = "a string for a number in JSON")]
    [TestCase("""{"dataframe_records": [{"displ": [1, 2], "cyl": 4, "trans": "auto", "drv": "f"}]}""", "application/json", TestName = "a list for a number")]
    [TestCase("displ,cyl,trans,drv\nabc,4,auto,f\n", "text/csv", TestName = "a string for a number in CSV")]
    public async Task A_value_that_is_not_a_number_is_a_400_naming_the_column(string body, string contentType)
    {
        var (code, message) = await Http.ErrorAsync(_http, body, HttpStatusCode.BadRequest, contentType);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("BAD_REQUEST"));
            Assert.That(message, Does.Contain("Failed to convert column displ to type 'float'").And.Contain("row 0"));
        });
    }

    [TestCase("{not json", "Invalid input. Ensure that input is a valid JSON formatted string.", TestName = "bad JSON")]
    [TestCase("", "Invalid input. Ensure that input is a valid JSON formatted string.", TestName = "an empty body")]
    [TestCase("[1, 2]", "Received a list.", TestName = "a JSON list")]
    [TestCase("3", "Received unexpected input type 'int'.", TestName = "a JSON number")]
    [TestCase("""{"inputs": {}, "instances": []}""", "Received dictionary with input fields: ['instances', 'inputs']", TestName = "two data keys")]
    [TestCase("""{"data": []}""", "Received dictionary with input fields: []", TestName = "no data key")]
    [TestCase("""{"dataframe_split": [[1]]}""", "Dataframe split format must be a dictionary. Got list.", TestName = "dataframe_split as a list")]
    [TestCase("""{"dataframe_split": {"cols": ["x"], "data": []}}""", "Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields.", TestName = "dataframe_split with an unknown key")]
    [TestCase("""{"dataframe_split": {"columns": ["displ", "cyl"], "data": [[1, 2, 3]]}}""", "2 columns passed, passed data had 3 columns", TestName = "dataframe_split rows longer than the columns")]
    [TestCase("""{"dataframe_records": {"displ": 1}}""", "Dataframe records format must be a list of records. Got dictionary.", TestName = "dataframe_records as an object")]
    [TestCase("""{"instances": [{"displ": 1, "cyl": 4}, {"displ": 2}]}""", "The length of values for each input/column name are not the same", TestName = "instances of unequal length")]
    public async Task Malformed_input_is_MLflows_400_BAD_REQUEST(string body, string expected)
    {
        var (code, message) = await Http.ErrorAsync(_http, body, HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("BAD_REQUEST"));
            Assert.That(message, Does.Contain(expected));
        });
    }

    [Test]
    public async Task An_error_quotes_at_most_a_short_excerpt_of_a_large_input()
    {
        var huge = "{\"dataframe_split\": " + new string('x', 100_000);
        var (_, message) = await Http.ErrorAsync(_http, huge, HttpStatusCode.BadRequest);
        Assert.That(message, Has.Length.LessThan(600).And.Contain("xxxx"));
    }

    [Test]
    public async Task Columns_of_unequal_length_in_inputs_are_refused()
    {
        var (code, message) = await Http.ErrorAsync(_http, """{"inputs": {"displ": [1.0, 2.0], "cyl": [4], "trans": ["a", "b"], "drv": ["f", "r"]}}""", HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("INVALID_PARAMETER_VALUE"));
            Assert.That(message, Does.Contain("All arrays must be of the same length"));
        });
    }

    [Test]
    public async Task An_LLM_style_request_lacks_every_input_as_in_MLflow()
    {
        var (code, message) = await Http.ErrorAsync(_http, """{"prompt": "hello", "dataframe_split": {"data": []}}""", HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("INVALID_PARAMETER_VALUE"));
            Assert.That(message, Does.Contain("Model is missing inputs ['displ', 'cyl', 'trans', 'drv']").And.Contain("extra inputs: ['prompt', 'dataframe_split']"));
        });
    }

    [Test]
    public async Task Probabilities_of_a_regression_are_refused_as_a_bad_parameter()
    {
        var (code, message) = await Http.ErrorAsync(_http, """{"dataframe_split": {"columns": ["displ", "cyl", "trans", "drv"], "data": [[1.8, 4, "manual", "f"]]}, "params": {"probabilities": true}}""", HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("INVALID_PARAMETER_VALUE"));
            Assert.That(message, Does.Contain("regression"));
        });
    }

    [Test]
    public async Task Params_that_are_not_an_object_are_refused()
    {
        var (code, message) = await Http.ErrorAsync(_http, """{"inputs": {"displ": [1]}, "params": [1]}""", HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("INVALID_PARAMETER_VALUE"));
            Assert.That(message, Is.EqualTo("Parameters must be a dictionary. Got type 'list'."));
        });
    }

    [TestCase(null, "no Content-Type", TestName = "no Content-Type")]
    [TestCase("text/plain", "Got 'text/plain'", TestName = "another media type")]
    [TestCase("Application/JSON", "Got 'Application/JSON'", TestName = "a media type in other case")]
    [TestCase("application/json; charset=latin1", "The scoring server only supports UTF-8", TestName = "a charset other than UTF-8")]
    [TestCase("application/json; format=pandas-split", "Unrecognized content type parameters: format.", TestName = "the pre-2.0 format parameter")]
    public async Task Content_types_other_than_JSON_and_CSV_get_a_415(string? contentType, string expected)
    {
        var (status, body, type) = await Http.PostAsync(_http, Split, contentType);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(body, Does.Contain(expected));
            Assert.That(type, Does.StartWith("text/plain"));
        });
    }

    [Test]
    public async Task Other_methods_get_405_and_other_paths_404()
    {
        using var get = await _http.GetAsync(new Uri("invocations", UriKind.Relative));
        using var other = await _http.GetAsync(new Uri("predict", UriKind.Relative));
        Assert.Multiple(() =>
        {
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    /// <summary>Input that once made a server answer 500 or crash: each must be a 4xx.</summary>
    [TestCase("""{"inputs": null}""")]
    [TestCase("""{"inputs": []}""")]
    [TestCase("""{"instances": []}""")]
    [TestCase("""{"instances": 5}""")]
    [TestCase("""{"inputs": "text"}""")]
    [TestCase("""{"inputs": [[1, 2], [1]]}""")]
    [TestCase("""{"inputs": [[1.8, 4, "manual", "f"]]}""")]
    [TestCase("""{"dataframe_split": {"data": null}}""")]
    [TestCase("""{"dataframe_split": {"data": [1, 2]}}""")]
    [TestCase("""{"dataframe_split": {"columns": [{"a": 1}], "data": []}}""")]
    [TestCase("""{"dataframe_split": {"columns": ["displ", "cyl", "trans", "drv"], "data": [[{"a": 1}, 4, "auto", "f"]]}}""")]
    [TestCase("""{"dataframe_split": {"columns": ["displ", "cyl", "trans", "drv"], "data": [[1e400, 4, "auto", "f"]]}}""")]
    [TestCase("""{"dataframe_split": {"columns": ["displ", "cyl", "trans", "drv"], "data": [[1, 4, {"a": 1}, "f"]]}}""")]
    [TestCase("""{"dataframe_records": [1, 2]}""")]
    [TestCase("""{"dataframe_records": [{"displ": null, "cyl": null, "trans": null, "drv": null}]}""")]
    [TestCase("""{"dataframe_split": {"columns": ["displ", "cyl", "trans", "drv"], "data": [[1, 4, "auto", "f"]]}, "params": {"probabilities": "yes"}}""")]
    [TestCase("""{"inputs": {"displ": 1, "cyl": 4, "trans": "auto", "drv": "f"}}""")]
    public async Task No_input_makes_it_answer_500(string body)
    {
        var (status, text, _) = await Http.JsonAsync(_http, body);
        Assert.That((int)status, Is.LessThan(500), text);
    }

    [Test]
    public async Task Deep_nesting_and_invalid_UTF8_are_400s()
    {
        var (deep, deepText, _) = await Http.JsonAsync(_http, new string('[', 10_000) + new string(']', 10_000));
        using var content = new ByteArrayContent([0x7b, 0xff, 0xfe, 0x7d]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var utf8 = await _http.PostAsync(new Uri("invocations", UriKind.Relative), content);
        using var csv = new ByteArrayContent([0x61, 0x0a, 0xff, 0x0a]);
        csv.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var csvAnswer = await _http.PostAsync(new Uri("invocations", UriKind.Relative), csv);
        Assert.Multiple(() =>
        {
            Assert.That(deep, Is.EqualTo(HttpStatusCode.BadRequest), deepText);
            Assert.That(utf8.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(csvAnswer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [TestCase("", TestName = "an empty CSV body")]
    [TestCase("displ,cyl\n\"1.8,4\n", TestName = "an unterminated quote")]
    [TestCase("displ,cyl,trans,drv\n1.8,4,auto\n", TestName = "a short CSV row")]
    public async Task Malformed_CSV_is_a_400(string body)
    {
        var (code, message) = await Http.ErrorAsync(_http, body, HttpStatusCode.BadRequest, "text/csv");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo("BAD_REQUEST"));
            Assert.That(message, Does.StartWith("Failed to parse input as a Pandas DataFrame."));
        });
    }
}
