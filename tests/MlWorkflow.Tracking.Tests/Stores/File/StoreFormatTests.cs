using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>Metric values as Python's repr writes them and reads them, and meta.yaml reading of MLflow's YAML forms.</summary>
public class StoreFormatTests
{
    [TestCase(0.5, "0.5")]
    [TestCase(1.0, "1.0")]
    [TestCase(0.1, "0.1")]
    [TestCase(1.0 / 3, "0.3333333333333333")]
    [TestCase(123456789.0, "123456789.0")]
    [TestCase(1e15, "1000000000000000.0")]
    [TestCase(1e16, "1e+16")]
    [TestCase(1.2345678901234567e19, "1.2345678901234567e+19")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(1e-05, "1e-05")]
    [TestCase(2.5e-07, "2.5e-07")]
    [TestCase(-0.0, "-0.0")]
    [TestCase(0.0, "0.0")]
    [TestCase(-12.75, "-12.75")]
    [TestCase(1e300, "1e+300")]
    [TestCase(5e-324, "5e-324")]
    [TestCase(double.MaxValue, "1.7976931348623157e+308")]
    [TestCase(double.NaN, "nan")]
    [TestCase(double.PositiveInfinity, "inf")]
    [TestCase(double.NegativeInfinity, "-inf")]
    public void Values_are_written_as_python_repr_and_read_back(double value, string expected)
    {
        Assert.That(MetricFileFormat.FormatValue(value), Is.EqualTo(expected));
        Assert.That(MetricFileFormat.TryParseValue(expected, out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(value));
    }

    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("-Infinity")]
    [TestCase("1E-07")]
    [TestCase("INF")]
    public void Python_and_dotnet_spellings_parse(string text) =>
        Assert.That(MetricFileFormat.TryParseValue(text, out _), Is.True);

    [Test]
    public void Metric_lines_skip_a_torn_last_line_and_accept_legacy_and_3x_forms()
    {
        var metrics = MetricFileFormat.Parse("m", "1 0.5 0\n2 0.25\n3 1.0 7 ds digest\n4 0.1");

        Assert.That(metrics, Is.EqualTo(new[] { new Metric("m", 0.5, 1, 0), new Metric("m", 0.25, 2, 0), new Metric("m", 1.0, 3, 7) }));
    }

    [Test]
    public void Yaml_in_mlflow_forms_is_read()
    {
        var yaml = MetaYamlDocument.Parse(
            "a: plain text\nb: 'it''s'\nc: \"tab\\there\"\nd: null\ne: ''\nf: 42\ng: {}\ntags:\n  k: v\n  'quoted': \"x\"\nlist:\n- one\n");
        Assert.That(yaml.GetString("a"), Is.EqualTo("plain text"));
        Assert.That(yaml.GetString("b"), Is.EqualTo("it's"));
        Assert.That(yaml.GetString("c"), Is.EqualTo("tab\there"));
        Assert.That(yaml.GetString("d"), Is.Null);
        Assert.That(yaml.Contains("d"), Is.True);
        Assert.That(yaml.GetString("e"), Is.Empty);
        Assert.That(yaml.GetInt64("f"), Is.EqualTo(42));
        Assert.That(yaml.GetMapping("tags")["k"], Is.EqualTo("v"));
        Assert.That(yaml.GetMapping("tags")["quoted"], Is.EqualTo("x"));

        var folded = MetaYamlDocument.Parse("description: 'first line\n\n  second line'\nschema: '{\"a\":\n  1}'\n");
        Assert.That(folded.GetString("description"), Is.EqualTo("first line\nsecond line"));
        Assert.That(folded.GetString("schema"), Is.EqualTo("{\"a\": 1}"));
    }

    [Test]
    public void Yaml_written_for_any_string_reads_back_the_same()
    {
        string[] values = ["plain", "yes", "No", "~", "null", "", " lead", "trail ", "a: b", "a #b", "#x", "-", "- x", "12", "1.5", "0x1F", "2024-01-01", "it's", "\"q\"", "tab\tx", "multi\nline", "é ✓ 🙂", new string('w', 30) + " " + new string('x', 60) + " y z"];
        foreach (var value in values)
        {
            var text = MetaYamlWriter.Write([new("name", value), new("tags", new Dictionary<string, string> { ["k"] = value })]);
            var yaml = MetaYamlDocument.Parse(text);
            Assert.That(yaml.GetString("name"), Is.EqualTo(value), text);
            Assert.That(yaml.GetMapping("tags")["k"], Is.EqualTo(value), text);
        }
    }
}
