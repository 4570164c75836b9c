using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Tests.Search;

public class SearchOrderByParserTests
{
    [TestCase("metrics.rmse", "Metric", "rmse", true)]
    [TestCase("metrics.rmse DESC", "Metric", "rmse", false)]
    [TestCase("metric.rmse desc", "Metric", "rmse", false)]
    [TestCase("metrics.`my metric` DESC", "Metric", "my metric", false)]
    [TestCase("metrics.\"my metric\" asc", "Metric", "my metric", true)]
    [TestCase("params.p ASC", "Param", "p", true)]
    [TestCase("tags.mlflow.runName", "Tag", "mlflow.runName", true)]
    [TestCase("start_time", "Attribute", "start_time", true)]
    [TestCase("attributes.start_time DESC", "Attribute", "start_time", false)]
    [TestCase("created DESC", "Attribute", "start_time", false)]
    [TestCase("Created", "Attribute", "start_time", true)]
    [TestCase("run_name", "Attribute", "run_name", true)]
    [TestCase("`Run Name`", "Attribute", "run_name", true)]
    [TestCase("attr.status", "Attribute", "status", true)]
    [TestCase("run.run_id", "Attribute", "run_id", true)]
    [TestCase("  end_time   DESC  ", "Attribute", "end_time", false)]
    [TestCase("user_id", "Attribute", "user_id", true)]
    [TestCase("artifact_uri", "Attribute", "artifact_uri", true)]
    public void A_clause_is_an_identifier_and_a_direction(string clause, string kind, string key, bool ascending)
    {
        var parsed = SearchOrderByParser.Parse([clause], SearchGrammars.Runs).Single();
        Assert.That((parsed.Kind, parsed.Key, parsed.Ascending), Is.EqualTo((Enum.Parse<SearchIdentifierKind>(kind), key, ascending)));
    }

    [TestCase("metrics.a DESC extra", "extra", 15, "too many tokens")]
    [TestCase("metrics.a ASC DESC", "DESC", 14, "too many tokens")]
    [TestCase("metrics.a foo", "foo", 10, "expected ASC or DESC")]
    [TestCase("metrics.my metric DESC", "metric", 11, "expected ASC or DESC")]
    [TestCase("foo", "foo", 0, "Invalid attribute key 'foo' specified")]
    [TestCase("lifecycle_stage", "lifecycle_stage", 0, "Invalid attribute key")]
    [TestCase("datasets.name", "datasets.name", 0, "Invalid order_by entity type 'datasets'")]
    [TestCase("metricz.a", "metricz.a", 0, "Invalid order_by entity type 'metricz'")]
    [TestCase("", "end of input", 0, "empty")]
    [TestCase("   ", "end of input", 3, "empty")]
    [TestCase("DESC", "DESC", 0, "expected an identifier")]
    [TestCase("'start_time'", "'start_time'", 0, "expected an identifier")]
    [TestCase("metrics.a, metrics.b", ",", 9, "expected ASC or DESC")]
    public void A_bad_clause_is_rejected_with_the_token_and_its_position(string clause, string token, int position, string problem)
    {
        var error = Assert.Throws<MlflowException>(() => SearchOrderByParser.Parse([clause], SearchGrammars.Runs));
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.StartWith($"Invalid order_by clause \"{clause}\": "));
        Assert.That(error.Message, Does.Contain(problem));
        Assert.That(error.Message, Does.EndWith($"(at position {position}: '{token}')."));
    }

    [Test]
    public void Several_clauses_keep_their_order()
    {
        var keys = SearchOrderByParser.Parse(["metrics.a DESC", "params.b", "start_time ASC"], SearchGrammars.Runs);
        Assert.That(keys.Select(k => (k.Kind, k.Key, k.Ascending)), Is.EqualTo(new[]
        {
            (SearchIdentifierKind.Metric, "a", false),
            (SearchIdentifierKind.Param, "b", true),
            (SearchIdentifierKind.Attribute, "start_time", true),
        }));
    }

    [Test]
    public void No_clauses_mean_none() =>
        Assert.That(SearchOrderByParser.Parse(null, SearchGrammars.Runs), Is.Empty);
}
