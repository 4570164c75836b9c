using System.Text;
using System.Text.Json;
using MlWorkflow.Tracking.Protocol;

namespace MlWorkflow.Server.Tests.Rest;

/// <summary>MLflow's JSON mapping in the source-generated contracts (the JSON mapping in MLflow's REST API documentation, https://mlflow.org/docs/latest/rest-api.html).</summary>
[TestFixture]
public sealed class RestJsonTests
{
    private static string Write(LogBatchBody body) => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(body, RestJsonContext.Default.LogBatchBody));

    private static LogBatchBody Read(string json) => JsonSerializer.Deserialize(json, RestJsonContext.Default.LogBatchBody)!;

    [Test]
    public void Metrics_are_written_with_numeric_int64_and_named_non_finite_values()
    {
        var json = Write(new LogBatchBody
        {
            RunId = "r",
            Metrics = [RestMapping.ToMessage(new Metric("a", 0.1, 1_700_000_000_000, 9_007_199_254_740_993)), RestMapping.ToMessage(new Metric("b", double.NaN, 1, 0)), RestMapping.ToMessage(new Metric("c", double.NegativeInfinity, 1, 0))],
        });

        Assert.That(json, Is.EqualTo("{\"run_id\":\"r\",\"metrics\":[{\"key\":\"a\",\"value\":0.1,\"timestamp\":1700000000000,\"step\":9007199254740993},{\"key\":\"b\",\"value\":\"NaN\",\"timestamp\":1,\"step\":0},{\"key\":\"c\",\"value\":\"-Infinity\",\"timestamp\":1,\"step\":0}]}"));
    }

    [Test]
    public void Int64_fields_are_read_from_numbers_or_decimal_strings_and_unknown_fields_are_skipped()
    {
        var body = Read("{\"run_id\": \"r\", \"extra\": {\"x\": [1, 2]}, \"metrics\": [{\"key\": \"a\", \"value\": \"Infinity\", \"timestamp\": \"123\", \"step\": 4, \"model_id\": \"m-1\"}]}");

        var metric = RestMapping.ToEntity(body.Metrics![0]);

        Assert.That(metric, Is.EqualTo(new Metric("a", double.PositiveInfinity, 123, 4)));
    }

    [Test]
    public void Absent_and_empty_members_are_omitted()
    {
        var json = Write(new LogBatchBody { RunId = "r" });

        Assert.That(json, Is.EqualTo("{\"run_id\":\"r\"}"));
    }

    [TestCase("{\"metrics\": [{\"key\": \"a\", \"value\": 1, \"timestamp\": \"soon\"}]}")]
    [TestCase("{\"metrics\": [{\"key\": \"a\", \"value\": \"lots\", \"timestamp\": 1}]}")]
    [TestCase("{\"metrics\": [{\"key\": \"a\", \"value\": 1, \"timestamp\": 1.5}]}")]
    public void Malformed_metric_fields_are_json_errors(string json)
    {
        Assert.Throws<JsonException>(() => Read(json));
    }

    [Test]
    public void Enums_are_read_by_name_or_number()
    {
        var byName = JsonSerializer.Deserialize("{\"status\": \"KILLED\"}", RestJsonContext.Default.UpdateRunBody)!;
        var byNumber = JsonSerializer.Deserialize("{\"status\": 4}", RestJsonContext.Default.UpdateRunBody)!;

        Assert.That(RestMapping.ParseRunStatus(byName.Status), Is.EqualTo(RunStatus.Killed));
        Assert.That(RestMapping.ParseRunStatus(byNumber.Status), Is.EqualTo(RunStatus.Failed));
    }

    [Test]
    public void Metric_keys_read_back_exactly_when_a_batch_repeats_and_varies_them()
    {
        // More distinct keys than the converter's key cache holds, escaped and non-ASCII keys, and keys that share a prefix.
        var keys = Enumerable.Range(0, 40).Select(i => "loss/" + i).Concat(["a\\u00e9", "é", "loss", "loss/1", "loss/10", "loss/1"]).ToArray();
        var json = "{\"run_id\": \"r\", \"metrics\": [" + string.Join(", ", keys.Select(k => $"{{\"key\": \"{k}\", \"value\": 1, \"timestamp\": 1}}")) + "]}";

        var read = Read(json).Metrics!.Select(m => m.Key).ToArray();

        Assert.That(read, Is.EqualTo(keys.Select(k => k.Replace("\\u00e9", "é", StringComparison.Ordinal)).ToArray()));
    }
}
