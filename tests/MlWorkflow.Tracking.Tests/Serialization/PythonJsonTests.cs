using System.Text.Json;
using MlWorkflow.Tracking.Serialization;

namespace MlWorkflow.Tracking.Tests.Serialization;

/// <summary>The one <c>json.dumps</c> writer: outputs compared with what Python 3's <c>json.dumps</c> prints (issue 11.12).</summary>
public class PythonJsonTests
{
    // Expected texts are Python's: json.dumps(value) with default arguments.
    [TestCase("it's", "\"it's\"")]
    [TestCase("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [TestCase("<b>&amp;</b>", "\"<b>&amp;</b>\"")]
    [TestCase("café", "\"caf\\u00e9\"")]
    [TestCase("Ωμέγα", "\"\\u03a9\\u03bc\\u03ad\\u03b3\\u03b1\"")]
    [TestCase("😀", "\"\\ud83d\\ude00\"")]
    [TestCase("a\u0001b\u001fc\u007fd", "\"a\\u0001b\\u001fc\\u007fd\"")]
    [TestCase("\b\f\n\r\t\\/", "\"\\b\\f\\n\\r\\t\\\\/\"")]
    public void Strings_are_escaped_as_json_dumps_escapes_them(string value, string python) =>
        Assert.That(PythonJson.Serialize(value), Is.EqualTo(python));

    [TestCase(1.0, "1.0")]
    [TestCase(0.1, "0.1")]
    [TestCase(-0.0, "-0.0")]
    [TestCase(1e-5, "1e-05")]
    [TestCase(2.5e-5, "2.5e-05")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(1e15, "1000000000000000.0")]
    [TestCase(1e16, "1e+16")]
    [TestCase(1.5e300, "1.5e+300")]
    [TestCase(123456789.123, "123456789.123")]
    [TestCase(double.NaN, "null")]
    public void Floats_are_written_as_python_s_repr(double value, string python) =>
        Assert.That(PythonJson.Serialize(value), Is.EqualTo(python));

    [Test]
    public void Objects_and_arrays_use_python_s_separators_and_keep_key_order()
    {
        var value = new List<KeyValuePair<string, object?>>
        {
            new("z", 1),
            new("a", new object?[] { true, null, 2.0, "x" }),
            new("m", new Dictionary<string, object?> { ["k"] = 3L }),
        };
        Assert.That(PythonJson.Serialize(value), Is.EqualTo("{\"z\": 1, \"a\": [true, null, 2.0, \"x\"], \"m\": {\"k\": 3}}"));
    }

    [Test]
    public void Parsed_json_is_rewritten_in_python_s_form()
    {
        using var document = JsonDocument.Parse("{\"name\":\"caf\\u00E9 <x>\",\"n\":[1,2.5]}");
        var builder = new System.Text.StringBuilder();
        PythonJson.AppendElement(builder, document.RootElement);
        Assert.That(builder.ToString(), Is.EqualTo("{\"name\": \"caf\\u00e9 <x>\", \"n\": [1, 2.5]}"));
    }
}
