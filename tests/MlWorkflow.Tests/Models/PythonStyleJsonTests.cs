using MlWorkflow.Models;

namespace MlWorkflow.Tests.Models;

/// <summary>MLmodel signatures are written exactly as Python's <c>json.dumps</c> writes them (issue 11.12).</summary>
public sealed class PythonStyleJsonTests
{
    [Test]
    public void Signature_json_matches_json_dumps_for_quotes_angle_brackets_non_ascii_control_characters_and_floats()
    {
        var value = new List<KeyValuePair<string, object?>>
        {
            new("name", "it's <b>&"),
            new("unit", "°C"),
            new("ctl", "a\u0001\u007f"),
            new("big", 1e16),
            new("small", 1e-5),
        };

        // Python: json.dumps({"name": "it's <b>&", "unit": "°C", "ctl": "a\x01\x7f", "big": 1e16, "small": 1e-05})
        Assert.That(PythonStyleJson.Write(value), Is.EqualTo("{\"name\": \"it's <b>&\", \"unit\": \"\\u00b0C\", \"ctl\": \"a\\u0001\\u007f\", \"big\": 1e+16, \"small\": 1e-05}"));
    }
}
